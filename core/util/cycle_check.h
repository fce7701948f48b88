/* Brent's cycle check for walking a linked list in target memory: a list that loops without
 * passing its head again is recognised after at most twice the loop's length in extra steps, so a
 * walk can say "it cycles" instead of only stopping at its entry cap. */
#ifndef PMM_CYCLE_CHECK_H
#define PMM_CYCLE_CHECK_H

#include <stdint.h>

typedef struct pmm_cycle_check {
    uint64_t saved;
    uint32_t power, lambda;
} pmm_cycle_check;

static inline void pmm_cycle_check_init(pmm_cycle_check *c)
{
    c->saved = 0;
    c->power = 1;
    c->lambda = 0;
}

/* Call with each link (non-zero) before following it; non-zero when the walk came back to a link
 * it had already passed. */
static inline int pmm_cycle_check_step(pmm_cycle_check *c, uint64_t link)
{
    if (link == c->saved)
        return 1;
    if (++c->lambda == c->power) {
        c->saved = link;
        c->power *= 2;
        c->lambda = 0;
    }
    return 0;
}

#endif
