/*
 * params.c - validating parameters in one place.
 *
 * Every constructor calls syndic_params_resolve(), so a bad value is caught
 * once with a message naming the field, and bands/rows are chosen from the
 * threshold when the caller left them 0.
 */
#include "internal.h"

int syndic_params_resolve(syndic_params *p)
{
    if (!p) return syndic__error(SYNDIC_EINVAL, "params is NULL");
    if (p->version != SYNDIC_PARAMS_VERSION)
        return syndic__error(SYNDIC_EINVAL,
                             "params version %u, expected %u (use SYNDIC_PARAMS_INIT)",
                             p->version, SYNDIC_PARAMS_VERSION);
    if (p->shingle_words < 1 || p->shingle_words > 16)
        return syndic__error(SYNDIC_EINVAL, "shingle size %u is outside 1..16",
                             p->shingle_words);
    if (p->num_hashes < 8 || p->num_hashes > 1024)
        return syndic__error(SYNDIC_EINVAL, "number of hashes %u is outside 8..1024",
                             p->num_hashes);
    if (!(p->threshold > 0.0 && p->threshold <= 1.0))
        return syndic__error(SYNDIC_EINVAL, "threshold %g is outside (0, 1]",
                             p->threshold);
    if (p->max_bucket < 2 || p->max_bucket > (UINT32_C(1) << 31))
        return syndic__error(SYNDIC_EINVAL, "max bucket %u is outside 2..2^31",
                             p->max_bucket);
    if (p->max_gap < 0 || p->same_outlet_gap < 0)
        return syndic__error(SYNDIC_EINVAL, "time gaps must not be negative");
    if (!(p->guard >= 0.0 && p->guard <= 1.0))
        return syndic__error(SYNDIC_EINVAL, "guard %g is outside [0, 1]", p->guard);
    if (!(p->numbers >= 0.0 && p->numbers <= 1.0))
        return syndic__error(SYNDIC_EINVAL, "numbers agreement %g is outside [0, 1]",
                             p->numbers);
    if (!(p->containment >= 0.0 && p->containment <= 1.0))
        return syndic__error(SYNDIC_EINVAL, "containment %g is outside [0, 1]",
                             p->containment);
    if (!(p->lsh_threshold >= 0.0 && p->lsh_threshold <= 1.0))
        return syndic__error(SYNDIC_EINVAL, "LSH threshold %g is outside [0, 1]",
                             p->lsh_threshold);
    if (p->lsh_threshold == 0.0)
        p->lsh_threshold = p->containment > 0 && p->threshold > 0.2 ? 0.2 : p->threshold;
    if ((p->bands == 0) != (p->rows == 0))
        return syndic__error(SYNDIC_EINVAL,
                             "bands and rows must be given together (got %u and %u)",
                             p->bands, p->rows);
    if (p->bands == 0) {
        int rc = syndic_lsh_choose(&p->bands, &p->rows, p->lsh_threshold,
                                   p->num_hashes, 0.5, 0.5);
        if (rc < 0) return rc;
    }
    if ((uint64_t)p->bands * p->rows > p->num_hashes)
        return syndic__error(SYNDIC_EINVAL,
                             "bands x rows = %u x %u exceeds the %u hashes",
                             p->bands, p->rows, p->num_hashes);
    return SYNDIC_OK;
}
