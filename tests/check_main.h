/*
 * check_main.h - the main() every Check suite of the project shares.
 * A test file defines `static Suite *make_suite(void)` and includes this.
 */
#ifndef SYNDIC_CHECK_MAIN_H
#define SYNDIC_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

static Suite *make_suite(void);

int main(void)
{
    SRunner *sr = srunner_create(make_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
