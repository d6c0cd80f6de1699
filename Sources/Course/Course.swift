import Torchlet
