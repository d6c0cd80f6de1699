public enum Weaver {}
