/*
 * core_alone.c - the core layer links and works without the readers and
 * the state: this program is linked with syndic_core, utf8proc, pthreads
 * and libm only (no zlib, jansson or LMDB), so a core module that called a
 * reader or the state would fail the build. It clusters two copies of a
 * story and a third, different one, learning templates in the pass and
 * analysing the story, and checks the result.
 */
#include <stdio.h>
#include <string.h>
#include <syndic.h>

#define CHECK(c)                                                                         \
    do {                                                                                 \
        if (!(c)) {                                                                      \
            fprintf(stderr, "core_alone: %s failed (%s)\n", #c, syndic_last_error());     \
            return 1;                                                                    \
        }                                                                                \
    } while (0)

int main(void)
{
    static const char *texts[] = {
        "Three people died when floods hit towns in the Sava valley on Tuesday, officials "
        "said. Rescue teams searched for two missing fishermen near the river mouth.",
        "Advertisement\nThree people died when floods hit towns in the Sava valley on Tuesday, "
        "officials said. Rescue teams searched for two missing fishermen near the river mouth.",
        "The central bank kept its main interest rate unchanged at its monthly meeting and said "
        "inflation would ease slowly over the coming year."};
    syndic_params p = SYNDIC_PARAMS_INIT;
    syndic_batch *b = NULL;
    syndic_batch_options o = SYNDIC_BATCH_OPTIONS_INIT;
    o.keep_texts = 1;
    o.template_docs = 3;
    o.threads = 2;
    CHECK(syndic_batch_new(&b, &p, &o) == SYNDIC_OK);
    for (int i = 0; i < 3; i++) {
        char id[8];
        snprintf(id, sizeof id, "d%d", i);
        syndic_doc d = SYNDIC_DOC_INIT;
        d.id = id; d.id_len = strlen(d.id);
        d.text = texts[i]; d.text_len = strlen(d.text);
        d.date = "2026-03-04T09:15:00Z"; d.date_len = strlen(d.date);
        CHECK(syndic_batch_add(b, &d) == SYNDIC_OK);
    }
    CHECK(syndic_batch_cluster(b) == SYNDIC_OK);
    CHECK(syndic_batch_cluster_count(b) == 2);
    const syndic_cluster *c = syndic_batch_cluster_at(b, 0);
    CHECK(c->size == 2);
    syndic_analysis *a = NULL;
    CHECK(syndic_analysis_new(&a, b) == SYNDIC_OK);
    const syndic_story *s = syndic_analysis_story(a, 0);
    CHECK(s && s->size == 2 && s->copies[1].source == 0);
    CHECK(syndic_batch_get_stats(b)->normalizations == 3);
    syndic_analysis_free(a);
    syndic_batch_free(b);
    puts("core_alone: ok");
    return 0;
}
