/* Trying a candidate layout on a kernel dump's processes, shared by the thread and VAD offset
 * inference (kdump_thread_inference.c, kdump_vad_inference.c): each sampled process gives a
 * verdict; the first contradiction ends the trial. Internal to the kernel dump reader. */
#ifndef PMM_KDUMP_TRIAL_H
#define PMM_KDUMP_TRIAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "kdump_inference.h"

enum { KD_NEUTRAL = 0, KD_VALIDATES = 1, KD_CONTRADICTS = 2 };

typedef struct kd_trial {
    uint32_t validated, contradicted;
    uint32_t reached;               /* the index of the sampled process that contradicted it */
    char why[200];                  /* the first contradiction */
} kd_trial;

/* One process's verdict on the candidate (KD_NEUTRAL, KD_VALIDATES, or KD_CONTRADICTS with why). */
typedef int (*kd_judge_process)(void *context, const pmm_kdump_process *p, char *why, size_t cap);

/* Judges the candidate on the first PMM_KDUMP_INFER_SAMPLE processes of list. */
static inline void kd_trial_run(kd_trial *t, const pmm_kdump_process_list *list, kd_judge_process judge,
                                void *context)
{
    size_t sample = list->count < PMM_KDUMP_INFER_SAMPLE ? list->count : PMM_KDUMP_INFER_SAMPLE;
    char why[200];
    for (size_t i = 0; i < sample; i++) {
        int verdict = judge(context, &list->processes[i], why, sizeof why);
        if (verdict == KD_VALIDATES)
            t->validated++;
        if (verdict == KD_CONTRADICTS) {   /* refused: the other processes need not be read */
            t->contradicted++;
            t->reached = (uint32_t)i;
            snprintf(t->why, sizeof t->why, "%s", why);
            return;
        }
    }
}

static inline int kd_trial_accepted(const kd_trial *t)
{
    return t->validated >= PMM_KDUMP_INFER_MIN_PROCESSES && t->contradicted == 0;
}

/* Of two refused trials, whether a came closer than b (further through the processes, then
 * validated on more); 0 when a was not refused. */
static inline int kd_trial_closer(const kd_trial *a, const kd_trial *b)
{
    return a->contradicted && (!b || a->reached > b->reached ||
                               (a->reached == b->reached && a->validated > b->validated));
}

/* Above the highest user address (x86: of a /3GB boot too). */
static inline uint64_t kd_user_top(uint32_t ps)
{
    return ps == 8 ? 0x800000000000ull : 0xC0000000ull;
}

#endif
