// OptimPrefetch is header-only (include/OptimPrefetch.h); SwiftPM needs one source file.
