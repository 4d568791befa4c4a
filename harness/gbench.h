/* gbench.h - a plain C interface to Google Benchmark (libbenchmark), whose
 * API is C++.  gbench.cc is the project's only C++ file. */
#ifndef SB_GBENCH_H
#define SB_GBENCH_H

#ifdef __cplusplus
extern "C" {
#endif

/* Version of libbenchmark this binary was built against, e.g. "1.7.1". */
const char *gbench_version(void);

#ifdef __cplusplus
}
#endif

#endif
