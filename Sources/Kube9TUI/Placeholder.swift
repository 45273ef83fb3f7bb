import Kube9Kit
