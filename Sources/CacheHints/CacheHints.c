// CacheHints is its header (include/CacheHints.h); a C target needs a source file.
