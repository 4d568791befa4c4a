/* pool_facts.h - the facts the timing and scale processes report next to
 * their figures (collect.h: specialized instruction, loop_ns, padding,
 * ...), looked up for the pooled rows (pool.c): over every process, or
 * one process's own. */
#ifndef SB_POOL_FACTS_H
#define SB_POOL_FACTS_H

#include <jansson.h>
#include <stddef.h>

/* The fact named key of variant/op, over the processes that gave one: the
 * first for text, the median for a number.  New reference or NULL. */
json_t *pool_fact(json_t *facts, const char *variant, int op,
                  const char *key);

/* Process pr's numeric fact named key of variant/op (loop_ns: the matched
 * loop's, or the visiting loop's, ns per statement); NAN when it gave
 * none. */
double pool_process_fact(json_t *facts, const char *variant, int op,
                         size_t pr, const char *key);

#endif
