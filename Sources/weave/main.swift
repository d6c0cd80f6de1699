import Weaver
