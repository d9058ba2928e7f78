/* header_test.c - syndic.h must compile on its own with -pedantic. */
#include "syndic.h"

int syndic_header_test(void);
int syndic_header_test(void)
{
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_doc d = SYNDIC_DOC_INIT;
    syndic_read_options o = SYNDIC_READ_OPTIONS_INIT;
    return (int)p.num_hashes + (d.id == 0) + (int)o.version;
}
