/* syndgen.c - seeded synthetic news-syndication corpus generator.
 *
 *   syndgen --docs N [--seed S] [--out FILE.jsonl] [--truth FILE.tsv]
 *           [--stories FILE.tsv] [--quiet]
 *
 * Streams N JSONL documents (origin stories from news agencies plus edited
 * republications by other outlets) and a truth TSV (id, story, source).
 * Memory is bounded by a fixed pool of concurrently "active" stories.
 * See README.md for the model and the probability of every edit.
 */
#include <time.h>

#include "util.h"
#include "vocab.h"
#include "words.h"

/* ------------------------------------------------------------ tunables -- */
#define MAX_COPIES 15
#define MAXD (MAX_COPIES + 2) /* origin + copies + agency update */
#define NSLOTS 64             /* concurrently active stories (interleaving) */
#define N_AGENCIES 8
#define N_OUTLETS 320
#define MAXP 256 /* max paragraphs handled by an edit */

/* story kinds */
enum { K_NORMAL = 0, K_EARN, K_MARKET, K_WEATHER, K_SPORTS, K_COUNT };
static const char *const KIND_NAME[K_COUNT] = {"news", "earnings", "market", "weather", "sports"};
#define P_EARN 0.04
#define P_MARKET 0.025
#define P_WEATHER 0.025
#define P_SPORTS 0.03
#define P_TWIN 0.04 /* a normal story gets an independently-written twin */

/* copies */
#define P_COPIES_GEOM 0.22 /* copies ~ Geometric(p) conditioned on <= 15, mean ~3.3 */
#define P_UPDATE 0.06      /* agency re-issues its story as "UPDATE 1-" */
#define P_COPY_OF_COPY 0.25
#define P_LEAK_BOILER 0.12
#define P_STRIP_DATELINE 0.55
#define P_STRIP_CREDIT 0.5
#define P_HEADLINE 0.6
#define P_TRIM 0.35
#define P_REWORD 0.3
#define P_LOCAL 0.15
#define P_NUMBERS 0.7
#define P_TYPOS 0.2
#define TYPO_RATE 0.01
#define P_CAPTION 0.15
#define P_TEMPLATE_LINE 0.9

/* ------------------------------------------------------------ vocab -- */
static struct {
    wl_t noun, verb, adj, adv, prep;
    wl_t tnoun[N_TOPICS], tverb[N_TOPICS];
    wl_t first, last, lpre, lsuf, city, country, copre, cosuf, coind, cokind;
    wl_t paper, branda, brandb, mascot, role, sector;
} V;

static void vocab_init(void)
{
    wl_load(&V.noun, W_NOUNS, WL_NOUN, 1.0, ' ');
    wl_load(&V.verb, W_VERBS, WL_VERB, 1.0, ' ');
    wl_load(&V.adj, W_ADJS, WL_PLAIN, 1.0, ' ');
    wl_load(&V.adv, W_ADVS, WL_PLAIN, 1.0, ' ');
    wl_load(&V.prep, W_PREPS, WL_PLAIN, 1.0, ' ');
    for (int t = 0; t < N_TOPICS; t++) {
        const char *ln[2] = {W_TOPIC_NOUNS[t], NULL};
        const char *lv[2] = {W_TOPIC_VERBS[t], NULL};
        wl_load(&V.tnoun[t], ln, WL_NOUN, 0.8, ' ');
        wl_load(&V.tverb[t], lv, WL_VERB, 0.8, ' ');
    }
    wl_load(&V.first, W_FIRST, WL_PLAIN, 0.6, ' ');
    wl_load(&V.last, W_LAST, WL_PLAIN, 0.6, ' ');
    wl_load(&V.lpre, W_LAST_PRE, WL_PLAIN, 0.0, ' ');
    wl_load(&V.lsuf, W_LAST_SUF, WL_PLAIN, 0.0, ' ');
    wl_load(&V.city, W_CITIES, WL_PLAIN, 0.7, ' ');
    wl_load(&V.country, W_COUNTRIES, WL_PLAIN, 0.8, ' ');
    wl_load(&V.copre, W_CO_PRE, WL_PLAIN, 0.0, ' ');
    wl_load(&V.cosuf, W_CO_SUF, WL_PLAIN, 0.0, ' ');
    wl_load(&V.coind, W_CO_IND, WL_PLAIN, 0.3, ' ');
    wl_load(&V.cokind, W_CO_KIND, WL_PLAIN, 0.8, ' ');
    wl_load(&V.paper, W_PAPERS, WL_PLAIN, 0.5, ' ');
    wl_load(&V.branda, W_BRAND_A, WL_PLAIN, 0.0, ' ');
    wl_load(&V.brandb, W_BRAND_B, WL_PLAIN, 0.0, ' ');
    wl_load(&V.mascot, W_MASCOTS, WL_PLAIN, 0.0, ' ');
    wl_load(&V.role, W_ROLES, WL_PLAIN, 0.5, '|');
    wl_load(&V.sector, W_SECTORS, WL_PLAIN, 0.0, ' ');

    /* category map (order = precedence for ambiguous forms) */
    cat_add_list(&V.verb, F_PAST, C_VERB_PAST);
    cat_add_list(&V.verb, F_ING, C_VERB_ING);
    cat_add_list(&V.adj, 0, C_ADJ);
    cat_add_list(&V.adv, 0, C_ADV);
    cat_add_list(&V.noun, F_PLUR, C_NOUN_P);
    cat_add_list(&V.noun, F_SING, C_NOUN_S);
    cat_add_list(&V.verb, F_S3, C_VERB_S3);
    cat_add_list(&V.verb, F_BASE, C_VERB_BASE);
    syn_load(W_SYNONYMS);
}

/* ------------------------------------------------------------- dates -- */
static const char *const MONTH[12] = {"January", "February", "March",     "April",   "May",      "June",
                                      "July",    "August",   "September", "October", "November", "December"};
static const char *const WDAY[7] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

typedef struct {
    int year, mon /*1..12*/, mday, hour, min, sec, wday /*0=Mon*/;
} civil_t;

static civil_t civil_from_time(int64_t t)
{
    civil_t c;
    int64_t z = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t secs = t - z * 86400;
    c.wday = (int)(((z % 7) + 7 + 3) % 7); /* 1970-01-01 was a Thursday */
    c.hour = (int)(secs / 3600);
    c.min = (int)(secs / 60 % 60);
    c.sec = (int)(secs % 60);
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    c.mday = (int)(doy - (153 * mp + 2) / 5 + 1);
    c.mon = (int)(mp < 10 ? mp + 3 : mp - 9);
    c.year = (int)(y + (c.mon <= 2));
    return c;
}

static void put2(buf_t *b, int v)
{
    bputc(b, (char)('0' + v / 10));
    bputc(b, (char)('0' + v % 10));
}

static void iso_date(buf_t *b, int64_t t)
{
    civil_t c = civil_from_time(t);
    bputu(b, (uint64_t)c.year);
    bputc(b, '-');
    put2(b, c.mon);
    bputc(b, '-');
    put2(b, c.mday);
    bputc(b, 'T');
    put2(b, c.hour);
    bputc(b, ':');
    put2(b, c.min);
    bputc(b, ':');
    put2(b, c.sec);
    bputc(b, 'Z');
}

static const char *ordsuf(int n)
{
    if (n % 100 >= 11 && n % 100 <= 13)
        return "th";
    switch (n % 10) {
    case 1: return "st";
    case 2: return "nd";
    case 3: return "rd";
    default: return "th";
    }
}

/* ------------------------------------------------------------ outlets -- */
typedef struct {
    char name[72], domain[72], abbr[12], city[40];
    int agency;
    int title_case, title_suffix, num_style, curly;
    int byline, ad_every, ad_kind, pref_source, read_more, copyright, newsletter, newsletter_mid;
    int reading_time, published, credit_line, photo_credit;
    char reporter[4][48];
} outlet_t;

static outlet_t OUT[N_OUTLETS];
static double copier_cdf[N_OUTLETS]; /* over outlets N_AGENCIES.. */
static double agency_cdf[N_AGENCIES];

static const char *const AGENCY_NAME[N_AGENCIES] = {
    "Continental Press Agency", "Global Newswire", "United Wire Service", "Atlantic News Agency",
    "Pacific Press International", "Metro Newswire", "Transworld Information Service", "Capital Markets Wire"};
static const char *const AGENCY_ABBR[N_AGENCIES] = {"CPA", "GNW", "UWS", "ANA", "PPI", "MNW", "TIS", "CMW"};

static void person_name(rng_t *r, char *dst, size_t cap, int full)
{
    const char *f = wl_zipf(&V.first, r, 0);
    char last[48];
    if (chance(r, 0.5))
        scat(last, sizeof last, wl_zipf(&V.last, r, 0), NULL, NULL);
    else
        scat(last, sizeof last, wl_unif(&V.lpre, r, 0), wl_unif(&V.lsuf, r, 0), NULL);
    if (full)
        scat(dst, cap, f, " ", last);
    else
        scat(dst, cap, last, NULL, NULL);
}

static void make_domain(const char *name, char *dst, size_t cap, const char *tld)
{
    size_t o = 0;
    const char *p = name;
    if (strncmp(p, "The ", 4) == 0)
        p += 4;
    for (; *p && o + 1 < cap; p++) {
        if (is_alpha(*p) || is_digit(*p))
            dst[o++] = to_lower(*p);
    }
    dst[o] = 0;
    size_t tl = strlen(tld);
    if (o + tl + 1 < cap)
        memcpy(dst + o, tld, tl + 1);
}

static void outlets_init(uint64_t seed)
{
    rng_t r;
    rng_seed(&r, seed, 0x071E7ull);
    static const char *const SUFX[] = {"Online", "Today", "Daily", "Now", "Weekly"};
    static const char *const TLD[] = {".com", ".com", ".com", ".net", ".co.uk", ".com.au", ".org", ".news", ".ca"};
    for (int i = 0; i < N_OUTLETS; i++) {
        outlet_t *o = &OUT[i];
        memset(o, 0, sizeof *o);
        const char *city = wl_zipf(&V.city, &r, 0);
        scat(o->city, sizeof o->city, city, NULL, NULL);
        if (i < N_AGENCIES) {
            o->agency = 1;
            snprintf(o->name, sizeof o->name, "%s", AGENCY_NAME[i]);
            snprintf(o->abbr, sizeof o->abbr, "%s", AGENCY_ABBR[i]);
            make_domain(o->abbr, o->domain, sizeof o->domain, chance(&r, 0.5) ? "news.com" : "wire.com");
            o->copyright = chance(&r, 0.5) ? 2 : 0;
            o->credit_line = chance(&r, 0.7);
            o->byline = chance(&r, 0.4) ? 1 : 0;
        } else {
            double u = ru(&r);
            if (u < 0.5)
                snprintf(o->name, sizeof o->name, "The %s %s", city, wl_zipf(&V.paper, &r, 0));
            else if (u < 0.75)
                snprintf(o->name, sizeof o->name, "%s%s", wl_unif(&V.branda, &r, 0), wl_unif(&V.brandb, &r, 0));
            else if (u < 0.88)
                snprintf(o->name, sizeof o->name, "%s %s", city, wl_zipf(&V.paper, &r, 0));
            else
                snprintf(o->name, sizeof o->name, "%c%c%c%c %d News", chance(&r, 0.5) ? 'K' : 'W',
                         (char)('A' + rbelow(&r, 26)), (char)('A' + rbelow(&r, 26)), (char)('A' + rbelow(&r, 26)),
                         rrange(&r, 2, 13));
            /* strip spaces inside brand names like "Open Wire" + "Hub" */
            make_domain(o->name, o->domain, sizeof o->domain, TLD[rbelow(&r, 9)]);
            /* ensure unique names/domains */
            for (int j = 0; j < i; j++) {
                if (strcmp(OUT[j].domain, o->domain) == 0 || strcmp(OUT[j].name, o->name) == 0) {
                    size_t l = strlen(o->name);
                    if (l + 12 < sizeof o->name)
                        snprintf(o->name + l, sizeof o->name - l, " %s", SUFX[rbelow(&r, 5)]);
                    make_domain(o->name, o->domain, sizeof o->domain, TLD[rbelow(&r, 9)]);
                    j = -1;
                }
            }
            o->title_case = chance(&r, 0.5);
            o->title_suffix = chance(&r, 0.25) ? rrange(&r, 1, 2) : 0;
            o->num_style = chance(&r, 0.8) ? rrange(&r, 1, 2) : 0;
            o->curly = chance(&r, 0.25);
            o->byline = chance(&r, 0.7) ? rrange(&r, 1, 4) : 0;
            o->ad_every = chance(&r, 0.45) ? rrange(&r, 2, 4) : 0;
            o->ad_kind = rrange(&r, 0, 3);
            o->pref_source = chance(&r, 0.3);
            o->read_more = chance(&r, 0.4) ? rrange(&r, 1, 3) : 0;
            o->copyright = chance(&r, 0.5) ? rrange(&r, 1, 4) : 0;
            o->newsletter = chance(&r, 0.35) ? rrange(&r, 1, 5) : 0;
            o->newsletter_mid = chance(&r, 0.5);
            o->reading_time = chance(&r, 0.3);
            o->published = chance(&r, 0.3);
            o->photo_credit = rrange(&r, 0, 2);
        }
        for (int k = 0; k < 4; k++)
            person_name(&r, o->reporter[k], sizeof o->reporter[k], 1);
    }
    double tot = 0;
    for (int i = N_AGENCIES; i < N_OUTLETS; i++) {
        tot += 1.0 / pow((double)(i - N_AGENCIES) + 1.0, 0.8);
        copier_cdf[i] = tot;
    }
    for (int i = N_AGENCIES; i < N_OUTLETS; i++)
        copier_cdf[i] /= tot;
    tot = 0;
    for (int i = 0; i < N_AGENCIES; i++) {
        tot += 1.0 / ((double)i + 1.5);
        agency_cdf[i] = tot;
    }
    for (int i = 0; i < N_AGENCIES; i++)
        agency_cdf[i] /= tot;
}

static int pick_cdf(const double *cdf, int lo, int hi, rng_t *r)
{
    double u = ru(r);
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (cdf[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* ------------------------------------------------------------- events -- */
typedef struct {
    int kind, topic, twin;
    int npers, nplace, norg;
    char pfirst[4][24], plast[4][40], prole[4][112];
    char place[3][40];
    char org[3][72];
    char ticker[8];
    const char *kw[4], *kwp[4];
    const char *count_noun;
    int nnum;
    char num[6][40];
    int numtype[6]; /* 0 money, 1 pct, 2 count */
    int wday, mon, mday, year;
    double tv[48];
    int ti[24];
} event_t;

static void make_org(rng_t *r, event_t *e, char *dst, size_t cap)
{
    double u = ru(r);
    if (u < 0.6) {
        snprintf(dst, cap, "%s%s %s %s", wl_unif(&V.copre, r, 0), wl_unif(&V.cosuf, r, 0), wl_zipf(&V.coind, r, 0),
                 wl_zipf(&V.cokind, r, 0));
    } else if (u < 0.72) {
        snprintf(dst, cap, "%s%s %s", wl_unif(&V.copre, r, 0), wl_unif(&V.cosuf, r, 0), wl_zipf(&V.coind, r, 0));
    } else if (u < 0.8) {
        snprintf(dst, cap, "the %s City Council", e->place[0]);
    } else if (u < 0.87) {
        snprintf(dst, cap, "the %s Police Department", e->place[0]);
    } else if (u < 0.93) {
        snprintf(dst, cap, "the University of %s", e->place[0]);
    } else {
        static const char *const MIN[] = {"Finance", "Interior", "Health", "Education", "Environment",
                                          "Transport", "Justice", "Defence", "Energy", "Trade"};
        scat(dst, cap, "the Ministry of ", MIN[rbelow(r, 10)], NULL);
    }
}

static void fmt_money(rng_t *r, char *dst, size_t cap)
{
    double u = ru(r);
    int bln = chance(r, 0.25);
    double v = bln ? exp(runif(r, log(1.0), log(90.0))) : exp(runif(r, log(1.0), log(950.0)));
    const char *unit = bln ? "bln" : "mln";
    char num[24];
    if (v < 10)
        snprintf(num, sizeof num, "%.1f", v);
    else
        snprintf(num, sizeof num, "%.0f", v);
    if (u < 0.5)
        snprintf(dst, cap, "$%s %s", num, unit);
    else if (u < 0.8)
        snprintf(dst, cap, "%s %s dlrs", num, unit);
    else
        snprintf(dst, cap, "%s %s euros", num, unit);
}

static const char *const COUNT_NOUNS[] = {"people", "workers", "jobs", "homes", "residents", "cases",
                                          "passengers", "students", "employees", "customers", "users", "vehicles"};

static void make_event_normal(rng_t *r, event_t *e)
{
    e->kind = K_NORMAL;
    e->topic = (int)rbelow(r, N_TOPICS);
    e->nplace = rrange(r, 1, 3);
    for (int i = 0; i < e->nplace; i++) {
        if (i > 0 && chance(r, 0.4))
            snprintf(e->place[i], sizeof e->place[i], "%s", wl_zipf(&V.country, r, 0));
        else
            snprintf(e->place[i], sizeof e->place[i], "%s", wl_zipf(&V.city, r, 0));
    }
    e->norg = rrange(r, 1, 3);
    for (int i = 0; i < e->norg; i++)
        make_org(r, e, e->org[i], sizeof e->org[i]);
    e->npers = chance(r, 0.2) ? 4 : rrange(r, 1, 3);
    for (int i = 0; i < e->npers; i++) {
        snprintf(e->pfirst[i], sizeof e->pfirst[i], "%s", wl_zipf(&V.first, r, 0));
        person_name(r, e->plast[i], sizeof e->plast[i], 0);
        const char *role = wl_zipf(&V.role, r, 0);
        const char *pc = strstr(role, "%s");
        if (pc) {
            const char *org = e->org[rbelow(r, (uint32_t)e->norg)];
            snprintf(e->prole[i], sizeof e->prole[i], "%.*s%s%s", (int)(pc - role), role, org, pc + 2);
        } else {
            snprintf(e->prole[i], sizeof e->prole[i], "%s", role);
        }
    }
    for (int k = 0; k < 4; k++) {
        uint32_t idx;
        if (k < 3) {
            idx = wl_pick(&V.tnoun[e->topic], r);
            e->kw[k] = V.tnoun[e->topic].f[0][idx];
            e->kwp[k] = V.tnoun[e->topic].f[1][idx];
        } else {
            idx = 20 + rbelow(r, V.noun.n - 20);
            e->kw[k] = V.noun.f[0][idx];
            e->kwp[k] = V.noun.f[1][idx];
        }
    }
    e->count_noun = COUNT_NOUNS[rbelow(r, sizeof COUNT_NOUNS / sizeof COUNT_NOUNS[0])];
    e->nnum = rrange(r, 3, 6);
    for (int i = 0; i < e->nnum; i++) {
        int t = i < 3 ? i : (int)rbelow(r, 3);
        e->numtype[i] = t;
        if (t == 0) {
            fmt_money(r, e->num[i], sizeof e->num[i]);
        } else if (t == 1) {
            double v = exp(runif(r, log(0.2), log(60.0)));
            snprintf(e->num[i], sizeof e->num[i], "%.1f pct", v);
        } else {
            int v = (int)exp(runif(r, log(3.0), log(25000.0)));
            buf_t tmp = {0};
            bcommas(&tmp, (uint64_t)v);
            snprintf(e->num[i], sizeof e->num[i], "%s", tmp.p);
            bfree(&tmp);
        }
    }
}

/* ---------------------------------------------------- text generation -- */
typedef struct {
    rng_t *r;
    const event_t *ev;
    buf_t *b;
    int men[4];
    int sw;    /* words in current sentence */
    int words; /* words generated so far */
    int space; /* next word needs a leading space */
} gen_t;

static void gw(gen_t *g, const char *s)
{
    if (g->space)
        bputc(g->b, ' ');
    bputs(g->b, s);
    g->space = 1;
    g->sw++;
    for (const char *p = s; *p; p++)
        if (*p == ' ')
            g->sw++;
}
static void gp(gen_t *g, const char *s)
{
    bputs(g->b, s);
    g->space = 1;
}
static void gpara(gen_t *g)
{
    if (g->b->n)
        bputc(g->b, '\n');
    g->space = 0;
}

static const char *noun(gen_t *g, int plural)
{
    double u = ru(g->r);
    if (u < 0.1 && g->ev->kw[0]) {
        uint32_t k = rbelow(g->r, 4);
        return plural ? g->ev->kwp[k] : g->ev->kw[k];
    }
    if (u < 0.3)
        return wl_zipf(&V.tnoun[g->ev->topic], g->r, plural);
    return wl_zipf(&V.noun, g->r, plural);
}

static const char *verb(gen_t *g, int form)
{
    if (chance(g->r, 0.12))
        return wl_zipf(&V.tverb[g->ev->topic], g->r, form);
    return wl_zipf(&V.verb, g->r, form);
}

static void person(gen_t *g, int i, int appos)
{
    const event_t *e = g->ev;
    if (g->men[i] == 0 || chance(g->r, 0.12)) {
        char full[80];
        snprintf(full, sizeof full, "%s %s", e->pfirst[i], e->plast[i]);
        gw(g, full);
        if (appos && g->men[i] == 0 && chance(g->r, 0.6)) {
            gp(g, ",");
            gw(g, e->prole[i]);
            gp(g, ",");
        }
    } else {
        gw(g, e->plast[i]);
    }
    g->men[i]++;
}

static void entity(gen_t *g, int subj)
{
    const event_t *e = g->ev;
    double u = ru(g->r);
    if (e->npers && u < 0.45) {
        int i = chance(g->r, 0.55) ? 0 : (int)rbelow(g->r, (uint32_t)e->npers);
        person(g, i, subj);
    } else if (e->norg && u < 0.78) {
        gw(g, e->org[chance(g->r, 0.6) ? 0 : rbelow(g->r, (uint32_t)e->norg)]);
    } else if (e->nplace) {
        gw(g, e->place[chance(g->r, 0.6) ? 0 : rbelow(g->r, (uint32_t)e->nplace)]);
    } else {
        gw(g, "officials");
    }
}

static int starts_vowel(const char *s)
{
    if (strncmp(s, "uni", 3) == 0 || strncmp(s, "use", 3) == 0 || strncmp(s, "eu", 2) == 0 || strncmp(s, "one", 3) == 0)
        return 0;
    return s[0] == 'a' || s[0] == 'e' || s[0] == 'i' || s[0] == 'o' || s[0] == 'u';
}

static void np(gen_t *g, int subj)
{
    rng_t *r = g->r;
    double u = ru(r);
    double pe = subj ? 0.35 : 0.15;
    if (u < pe) {
        entity(g, subj);
        return;
    }
    if (u < pe + 0.06) {
        const event_t *e = g->ev;
        for (int i = 0; i < e->nnum; i++)
            if (e->numtype[i] == 2 && chance(r, 0.7)) {
                if (chance(r, 0.4))
                    gw(g, chance(r, 0.5) ? "more than" : "about");
                gw(g, e->num[i]);
                gw(g, e->count_noun);
                return;
            }
        char tmp[16];
        snprintf(tmp, sizeof tmp, "%d", rrange(r, 2, 40));
        gw(g, tmp);
        gw(g, noun(g, 1));
        return;
    }
    int plural = chance(r, 0.3);
    const char *adj = chance(r, 0.33) ? wl_zipf(&V.adj, r, 0) : NULL;
    const char *n = noun(g, plural);
    const char *det;
    double d = ru(r);
    if (plural)
        det = d < 0.45 ? "the" : d < 0.62 ? NULL : d < 0.72 ? "some" : d < 0.82 ? "many" : d < 0.9 ? "several" : d < 0.96 ? "other" : "more";
    else
        det = d < 0.62 ? "the" : d < 0.86 ? "a" : d < 0.9 ? "this" : d < 0.94 ? "its" : d < 0.97 ? "another" : "their";
    if (det && det[0] == 'a' && det[1] == 0 && starts_vowel(adj ? adj : n))
        det = "an";
    if (det)
        gw(g, det);
    if (adj)
        gw(g, adj);
    gw(g, n);
    if (chance(r, 0.14)) {
        gw(g, "of");
        if (chance(r, 0.55)) {
            gw(g, "the");
            gw(g, noun(g, chance(r, 0.3)));
        } else {
            entity(g, 0);
        }
    }
}

static void time_phrase(gen_t *g)
{
    const event_t *e = g->ev;
    double u = ru(g->r);
    if (u < 0.45) {
        gw(g, "on");
        gw(g, WDAY[e->wday]);
    } else if (u < 0.6) {
        gw(g, chance(g->r, 0.5) ? "last week" : "earlier this month");
    } else if (u < 0.75) {
        gw(g, "in");
        gw(g, MONTH[(e->mon + 11 - (int)rbelow(g->r, 3)) % 12]);
    } else if (u < 0.88) {
        gw(g, chance(g->r, 0.5) ? "this year" : "next year");
    } else {
        gw(g, chance(g->r, 0.5) ? "late on" : "early on");
        gw(g, WDAY[e->wday]);
    }
}

static void pp(gen_t *g)
{
    double u = ru(g->r);
    if (u < 0.16) {
        time_phrase(g);
    } else if (u < 0.3 && g->ev->nplace) {
        gw(g, "in");
        gw(g, g->ev->place[rbelow(g->r, (uint32_t)g->ev->nplace)]);
    } else {
        gw(g, wl_zipf(&V.prep, g->r, 0));
        np(g, 0);
    }
}

static const char *const MODALS[] = {"will", "would", "could", "may", "should", "must", "might"};
static const char *const SEMI[] = {"is expected to", "plans to", "has agreed to", "was forced to", "is set to",
                                   "has promised to", "wants to", "declined to"};
static const char *const NUMVERB[] = {"rose", "fell", "increased", "dropped", "climbed", "declined", "jumped", "slipped"};

static void vp(gen_t *g)
{
    rng_t *r = g->r;
    double u = ru(r);
    if (u < 0.52) {
        if (chance(r, 0.12))
            gw(g, wl_zipf(&V.adv, r, 0));
        gw(g, verb(g, F_PAST));
        np(g, 0);
        if (chance(r, 0.45))
            pp(g);
    } else if (u < 0.64) {
        gw(g, "had been");
        gw(g, verb(g, F_PAST));
        pp(g);
    } else if (u < 0.78) {
        gw(g, MODALS[rbelow(r, 7)]);
        if (chance(r, 0.15))
            gw(g, "not");
        gw(g, verb(g, F_BASE));
        np(g, 0);
    } else if (u < 0.88) {
        gw(g, SEMI[rbelow(r, 8)]);
        gw(g, verb(g, F_BASE));
        np(g, 0);
    } else {
        gw(g, "said");
        if (chance(r, 0.4))
            time_phrase(g);
        gw(g, chance(r, 0.5) ? "it would" : "they would");
        gw(g, verb(g, F_BASE));
        np(g, 0);
    }
}

static void capitalize_at(buf_t *b, size_t st)
{
    while (st < b->n && (b->p[st] == '"' || b->p[st] == ' '))
        st++;
    if (st < b->n)
        b->p[st] = to_upper(b->p[st]);
}

static void sentence(gen_t *g, int lead)
{
    rng_t *r = g->r;
    const event_t *e = g->ev;
    size_t st = g->b->n;
    g->sw = 0;
    int target = (int)lround(19.0 + 5.5 * rnorm(r));
    if (target < 8)
        target = 8;
    if (target > 30)
        target = 30;
    double u = lead ? ru(r) * 0.52 : ru(r);
    int quote = 0;
    if (u < 0.34) {
        if (lead)
            entity(g, 1);
        else
            np(g, 1);
        vp(g);
    } else if (u < 0.52) {
        if (lead || chance(r, 0.6))
            entity(g, 1);
        else
            np(g, 1);
        gw(g, "said");
        if (chance(r, 0.5))
            time_phrase(g);
        if (chance(r, 0.4))
            gw(g, "that");
        np(g, 1);
        gw(g, MODALS[rbelow(r, 7)]);
        gw(g, verb(g, F_BASE));
        np(g, 0);
        if (chance(r, 0.4))
            pp(g);
    } else if (u < 0.64 && e->npers) {
        quote = 1;
        if (g->space)
            bputc(g->b, ' ');
        bputc(g->b, '"');
        g->space = 0;
        static const char *const PRON[] = {"we", "it", "they", "this", "nobody", "the government"};
        gw(g, PRON[rbelow(r, 6)]);
        gw(g, MODALS[rbelow(r, 7)]);
        if (chance(r, 0.3))
            gw(g, "not");
        gw(g, verb(g, F_BASE));
        np(g, 0);
        while (g->sw < target - 5)
            pp(g);
        gp(g, ",\"");
        int i = chance(r, 0.6) ? 0 : (int)rbelow(r, (uint32_t)e->npers);
        if (chance(r, 0.5)) {
            person(g, i, 1);
            gw(g, "said");
        } else {
            gw(g, "said");
            person(g, i, 1);
        }
    } else if (u < 0.76) {
        pp(g);
        gp(g, ",");
        np(g, 1);
        vp(g);
    } else if (u < 0.88) {
        int ip = -1, im = -1, ic = -1;
        for (int i = 0; i < e->nnum; i++) {
            if (e->numtype[i] == 1 && (ip < 0 || chance(r, 0.4)))
                ip = i;
            if (e->numtype[i] == 0 && (im < 0 || chance(r, 0.4)))
                im = i;
            if (e->numtype[i] == 2 && (ic < 0 || chance(r, 0.4)))
                ic = i;
        }
        double v = ru(r);
        if (v < 0.45 && ip >= 0 && im >= 0) {
            if (chance(r, 0.5))
                entity(g, 1);
            else
                np(g, 1);
            gw(g, NUMVERB[rbelow(r, 8)]);
            gw(g, e->num[ip]);
            gw(g, "to");
            gw(g, e->num[im]);
        } else if (v < 0.75 && ic >= 0) {
            entity(g, 1);
            gw(g, chance(r, 0.5) ? "said" : "estimated that");
            gw(g, e->num[ic]);
            gw(g, e->count_noun);
            gw(g, chance(r, 0.5) ? "had been" : "would be");
            gw(g, verb(g, F_PAST));
        } else if (im >= 0) {
            np(g, 1);
            gw(g, chance(r, 0.5) ? "would cost" : "was valued at");
            gw(g, chance(r, 0.5) ? "about" : "more than");
            gw(g, e->num[im]);
        } else {
            np(g, 1);
            vp(g);
        }
    } else {
        entity(g, 1);
        gp(g, ",");
        gw(g, chance(r, 0.5) ? "who" : "which");
        vp(g);
        gp(g, ",");
        vp(g);
    }
    if (!quote) {
        int guard = 0;
        while (g->sw < target - 2 && guard++ < 6) {
            if (chance(r, 0.6)) {
                pp(g);
            } else {
                gp(g, ",");
                gw(g, chance(r, 0.7) ? "and" : chance(r, 0.5) ? "but" : "while");
                if (chance(r, 0.5))
                    np(g, 1);
                vp(g);
            }
        }
    }
    if (g->b->n && g->b->p[g->b->n - 1] == ',') /* sentence-final appositive */
        g->b->n--;
    gp(g, ".");
    capitalize_at(g->b, st);
    g->words += g->sw;
}

static void dateline(gen_t *g, const outlet_t *ag)
{
    const event_t *e = g->ev;
    const char *pl = e->nplace ? e->place[0] : ag->city;
    for (const char *p = pl; *p; p++)
        bputc(g->b, to_upper(*p));
    bprintf(g->b, ", %s %d (%s) - ", MONTH[e->mon], e->mday, ag->abbr);
    g->space = 0;
}

static void credit_line(gen_t *g)
{
    char a[64], b[64], c[64];
    person_name(g->r, a, sizeof a, 1);
    person_name(g->r, b, sizeof b, 1);
    person_name(g->r, c, sizeof c, 1);
    gpara(g);
    if (chance(g->r, 0.4))
        bprintf(g->b, "Reporting by %s; Additional reporting by %s; Editing by %s", a, b, c);
    else
        bprintf(g->b, "Reporting by %s; Editing by %s", a, c);
}

static int para_len(rng_t *r)
{
    double u = ru(r);
    return u < 0.35 ? 1 : u < 0.8 ? 2 : 3;
}

static void body_normal(gen_t *g, const outlet_t *ag, int with_dateline)
{
    rng_t *r = g->r;
    double w = exp(log(350.0) + 0.42 * rnorm(r));
    int target = (int)(w < 150 ? 150 : w > 800 ? 800 : w);
    if (with_dateline)
        dateline(g, ag);
    sentence(g, 1);
    while (g->words < target - 10) {
        gpara(g);
        int k = para_len(r);
        for (int i = 0; i < k && g->words < target; i++)
            sentence(g, 0);
    }
    if (ag->credit_line)
        credit_line(g);
}

static void title_normal(gen_t *g)
{
    rng_t *r = g->r;
    const event_t *e = g->ev;
    size_t st = g->b->n;
    int plural = 0;
    double u = ru(r);
    if (u < 0.25 && e->norg) {
        const char *o = e->org[0];
        gw(g, strncmp(o, "the ", 4) == 0 ? o + 4 : o);
    } else if (u < 0.45 && e->npers) {
        gw(g, e->plast[0]);
    } else if (u < 0.6 && e->nplace) {
        gw(g, e->place[0]);
        gw(g, noun(g, 1));
        plural = 1;
    } else {
        if (chance(r, 0.5))
            gw(g, wl_zipf(&V.adj, r, 0));
        gw(g, noun(g, 1));
        plural = 1;
    }
    if (chance(r, 0.15)) {
        gw(g, "to");
        gw(g, verb(g, F_BASE));
    } else {
        gw(g, verb(g, plural ? F_BASE : F_S3));
    }
    if (chance(r, 0.4))
        gw(g, wl_zipf(&V.adj, r, 0));
    gw(g, noun(g, chance(r, 0.4)));
    if (chance(r, 0.5) && e->nplace) {
        gw(g, chance(r, 0.5) ? "in" : "after");
        if (chance(r, 0.5))
            gw(g, e->place[rbelow(r, (uint32_t)e->nplace)]);
        else
            gw(g, noun(g, chance(r, 0.5)));
    } else if (chance(r, 0.3)) {
        gw(g, "amid");
        gw(g, noun(g, 0));
        gw(g, noun(g, 0));
    }
    capitalize_at(g->b, st);
}

/* --------------------------------------------- templated hard negatives -- */
static void make_event_earn(rng_t *r, event_t *e)
{
    e->kind = K_EARN;
    e->topic = 1;
    snprintf(e->place[0], sizeof e->place[0], "%s", wl_zipf(&V.city, r, 0));
    e->nplace = 1;
    snprintf(e->org[0], sizeof e->org[0], "%s%s %s %s", wl_unif(&V.copre, r, 0), wl_unif(&V.cosuf, r, 0),
             wl_zipf(&V.coind, r, 0), wl_zipf(&V.cokind, r, 0));
    e->norg = 1;
    int tl = rrange(r, 2, 4), o = 0;
    for (const char *p = e->org[0]; *p && o < tl; p++)
        if (is_alpha(*p) && (o < 2 || chance(r, 0.6)))
            e->ticker[o++] = to_upper(*p);
    e->ticker[o] = 0;
    e->ti[4] = rrange(r, 1, 4);       /* quarter */
    e->ti[5] = chance(r, 0.18);       /* loss */
    e->ti[6] = chance(r, 0.5);        /* has year-to-date block */
    e->ti[7] = chance(r, 0.55);       /* has avg shares */
    e->ti[8] = chance(r, 0.3);        /* note */
    e->ti[9] = chance(r, 0.5);        /* prose lead */
    double scale = exp(runif(r, log(0.3), log(400.0)));
    e->tv[0] = (double)rrange(r, 1, 180);                           /* shr cts */
    e->tv[1] = e->tv[0] * runif(r, 0.6, 1.4);                       /* prev shr */
    e->tv[2] = scale;                                               /* net mln */
    e->tv[3] = scale * runif(r, 0.6, 1.4);                          /* prev net */
    e->tv[4] = scale * runif(r, 4, 20);                             /* revs */
    e->tv[5] = e->tv[4] * runif(r, 0.8, 1.2);                       /* prev revs */
    e->tv[6] = scale / (e->tv[0] / 100.0);                          /* avg shrs mln */
    e->tv[7] = e->tv[6] * runif(r, 0.95, 1.05);
    for (int k = 0; k < 6; k++)
        e->tv[8 + k] = e->tv[k] * runif(r, 2.5, 3.2); /* ytd */
    e->tv[14] = scale * runif(r, 0.05, 0.5);          /* note gain */
}

static void earn_num(buf_t *b, double v)
{
    if (v >= 100)
        bprintf(b, "%.1f mln", v);
    else if (v >= 1)
        bprintf(b, "%.2f mln", v);
    else {
        bcommas(b, (uint64_t)(v * 1e6));
        b->n -= 3; /* round to thousands: 123,456 -> 123,000 style */
        b->p[b->n] = 0;
        bputs(b, "000");
    }
}

static void title_earn(gen_t *g, int variant)
{
    const event_t *e = g->ev;
    int q = e->ti[4];
    if (variant == 0) {
        for (const char *p = e->org[0]; *p; p++)
            bputc(g->b, to_upper(*p));
        bprintf(g->b, " <%s> %d%s QTR %s", e->ticker, q, q == 1 ? "ST" : q == 2 ? "ND" : q == 3 ? "RD" : "TH",
                e->ti[5] ? "LOSS" : "NET");
    } else if (variant == 1) {
        bprintf(g->b, "%s Q%d net %s to ", e->org[0], q, e->ti[5] ? "loss" : (e->tv[2] > e->tv[3] ? "rises" : "falls"));
        earn_num(g->b, e->tv[2]);
        bputs(g->b, " dlrs");
    } else {
        bprintf(g->b, "%s reports %d%s-quarter %s", e->org[0], q, ordsuf(q), e->ti[5] ? "loss" : "results");
    }
}

static void earn_block(buf_t *b, const event_t *e, int off, int loss)
{
    bprintf(b, "\nShr %s%.0f cts vs %.0f cts", loss ? "loss " : "", e->tv[off], e->tv[off + 1]);
    bprintf(b, "\nNet %s", loss ? "loss " : "");
    earn_num(b, e->tv[off + 2]);
    bputs(b, " vs ");
    earn_num(b, e->tv[off + 3]);
    bputs(b, "\nRevs ");
    earn_num(b, e->tv[off + 4]);
    bputs(b, " vs ");
    earn_num(b, e->tv[off + 5]);
}

static void body_earn(gen_t *g, const outlet_t *ag)
{
    const event_t *e = g->ev;
    buf_t *b = g->b;
    int q = e->ti[4], loss = e->ti[5];
    dateline(g, ag);
    if (e->ti[9]) {
        bprintf(b, "%s <%s> said on %s it %s ", e->org[0], e->ticker, WDAY[e->wday], loss ? "lost" : "earned");
        earn_num(b, e->tv[2]);
        bprintf(b, " dlrs, or %.0f cts a share, in the %d%s quarter, %s ", e->tv[0], q, ordsuf(q),
                e->tv[2] > e->tv[3] ? "up from" : "down from");
        earn_num(b, e->tv[3]);
        bprintf(b, " dlrs, or %.0f cts a share, a year earlier.", e->tv[1]);
    } else {
        bprintf(b, "Qtr ended %s %d", MONTH[(q * 3 + 11) % 12], q == 1 || q == 4 ? 31 : 30);
    }
    earn_block(b, e, 0, loss);
    if (e->ti[7]) {
        bputs(b, "\nAvg shrs ");
        earn_num(b, e->tv[6]);
        bputs(b, " vs ");
        earn_num(b, e->tv[7]);
    }
    if (e->ti[6] && q > 1) {
        bprintf(b, "\n%s mths", q == 2 ? "Six" : q == 3 ? "Nine" : "Year");
        earn_block(b, e, 8, loss);
    }
    if (e->ti[8]) {
        bprintf(b, "\nNOTE: Prior year net includes a gain of ");
        earn_num(b, e->tv[14]);
        bprintf(b, " dlrs from the sale of its %s operations.", wl_zipf(&V.noun, g->r, 0));
    }
    if (ag->credit_line && chance(g->r, 0.5))
        credit_line(g);
}

static const char *const MK_REGION[3] = {"U.S. stocks", "European shares", "Asian shares"};
static const char *const MK_CITY[3] = {"NEW YORK", "LONDON", "TOKYO"};
static const char *const MK_IDX[3][3] = {{"Dow Jones Industrial Average", "S&P 500", "Nasdaq Composite"},
                                         {"STOXX 600", "FTSE 100", "DAX"},
                                         {"Nikkei 225", "Hang Seng", "Shanghai Composite"}};
static const char *const MK_EXCH[3] = {"New York Stock Exchange", "pan-European index", "Tokyo exchange"};
static const char *const MK_THEME[] = {"inflation data",           "central bank comments",   "corporate earnings",
                                       "a rise in bond yields",    "trade tensions",          "oil price swings",
                                       "fresh jobs figures",       "retail sales numbers",    "technology results",
                                       "comments from policymakers", "a weaker dollar",       "manufacturing surveys"};

static void make_event_market(rng_t *r, event_t *e)
{
    e->kind = K_MARKET;
    e->topic = 1;
    e->ti[4] = (int)rbelow(r, 3);    /* region */
    e->ti[5] = chance(r, 0.5);       /* up */
    e->ti[6] = (int)rbelow(r, 12);   /* theme */
    e->ti[7] = (int)rbelow(r, 11);   /* best sector */
    e->ti[8] = (int)rbelow(r, 11);   /* worst sector */
    e->ti[9] = e->ti[5] ? rrange(r, 6, 11) : rrange(r, 0, 5); /* sectors up */
    for (int k = 0; k < 3; k++) {
        static const double LVL[3][3][2] = {{{30000, 45000}, {4000, 6500}, {12000, 20000}},
                                            {{420, 560}, {7000, 8800}, {15000, 20000}},
                                            {{30000, 42000}, {15000, 22000}, {2800, 3600}}};
        const double *lv = LVL[e->ti[4]][k];
        double lvl = runif(r, lv[0], lv[1]);
        double pct = runif(r, 0.05, 2.2);
        e->tv[k * 3] = lvl;
        e->tv[k * 3 + 1] = pct;
        e->tv[k * 3 + 2] = lvl * pct / 100.0;
    }
    for (int k = 9; k < 20; k++)
        e->tv[k] = runif(r, 0.1, 6.0);
    e->tv[20] = runif(r, 1.1, 3.5);  /* ratio */
    e->tv[21] = runif(r, 8, 14);     /* volume */
    e->tv[22] = runif(r, 8, 14);
    e->tv[23] = runif(r, 3.5, 4.9);  /* yield */
    e->tv[24] = runif(r, 62, 95);    /* oil */
    for (int k = 0; k < 2; k++)
        snprintf(e->org[k], sizeof e->org[k], "%s%s %s", wl_unif(&V.copre, r, 0), wl_unif(&V.cosuf, r, 0),
                 wl_zipf(&V.coind, r, 0));
    e->norg = 2;
}

static void title_market(gen_t *g, int variant)
{
    const event_t *e = g->ev;
    int up = e->ti[5];
    if (variant == 0)
        bprintf(g->b, "%s %s as investors weigh %s", MK_REGION[e->ti[4]], up ? "rise" : "fall", MK_THEME[e->ti[6]]);
    else if (variant == 1)
        bprintf(g->b, "%s %s %.2f pct, %s lead", MK_IDX[e->ti[4]][1], up ? "gains" : "drops", e->tv[4],
                V.sector.f[0][e->ti[up ? 7 : 8]]);
    else
        bprintf(g->b, "STOCKS: %s close %s on %s", MK_REGION[e->ti[4]], up ? "higher" : "lower", MK_THEME[e->ti[6]]);
}

static void body_market(gen_t *g, const outlet_t *ag)
{
    const event_t *e = g->ev;
    buf_t *b = g->b;
    rng_t *r = g->r;
    int reg = e->ti[4], up = e->ti[5];
    const char *mv = up ? "rose" : "fell";
    bprintf(b, "%s, %s %d (%s) - %s %s on %s as investors weighed %s, with %s shares leading the %s.",
            MK_CITY[reg], MONTH[e->mon], e->mday, ag->abbr, MK_REGION[reg], up ? "rose" : "fell", WDAY[e->wday],
            MK_THEME[e->ti[6]], V.sector.f[0][e->ti[up ? 7 : 8]], up ? "gains" : "losses");
    bprintf(b, "\nThe %s %s %.2f points, or %.2f pct, to %.2f, the %s %s %.2f points, or %.2f pct, to %.2f and the %s %s %.2f points, or %.2f pct, to %.2f.",
            MK_IDX[reg][0], mv, e->tv[2], e->tv[1], e->tv[0], MK_IDX[reg][1], up ? "gained" : "lost", e->tv[5], e->tv[4],
            e->tv[3], MK_IDX[reg][2], up ? "added" : "shed", e->tv[8], e->tv[7], e->tv[6]);
    bprintf(b, "\nOf the 11 major sectors, %d ended higher, led by a %.1f pct %s in %s. %c%s was the weakest, %s %.1f pct.",
            e->ti[9], e->tv[9], up ? "gain" : "rise", V.sector.f[0][e->ti[7]],
            to_upper(V.sector.f[0][e->ti[8]][0]), V.sector.f[0][e->ti[8]] + 1, "falling", e->tv[10]);
    if (chance(r, 0.8))
        bprintf(b, "\nShares of %s %s %.1f pct after the company %s, while %s %s %.1f pct.", e->org[0], "jumped",
                e->tv[11], chance(r, 0.5) ? "raised its annual forecast" : "reported better-than-expected results",
                e->org[1], "slid", e->tv[12]);
    if (chance(r, 0.7))
        bprintf(b, "\n%s issues outnumbered %s ones by a %.2f-to-1 ratio on the %s. Volume was %.2f bln shares, compared with the 20-day average of %.2f bln.",
                up ? "Advancing" : "Declining", up ? "declining" : "advancing", e->tv[20], MK_EXCH[reg], e->tv[21],
                e->tv[22]);
    if (chance(r, 0.7))
        bprintf(b, "\nThe benchmark 10-year yield %s to %.2f pct. Brent crude %s %.1f pct to $%.2f a barrel, and the dollar %s %.1f pct against a basket of currencies.",
                up ? "rose" : "eased", e->tv[23], chance(r, 0.5) ? "rose" : "fell", e->tv[13], e->tv[24],
                chance(r, 0.5) ? "rose" : "slipped", e->tv[14]);
    if (ag->credit_line && chance(r, 0.6))
        credit_line(g);
}

static const char *const WX_COND[] = {"Sunny", "Partly cloudy", "Mostly cloudy", "Overcast", "Light rain",
                                      "Showers", "Thunderstorms", "Fog early, then sunny", "Snow showers", "Clear"};
static const char *const WX_DIR[] = {"north", "northeast", "east", "southeast", "south", "southwest", "west", "northwest"};

static void make_event_weather(rng_t *r, event_t *e)
{
    e->kind = K_WEATHER;
    e->topic = 3;
    snprintf(e->place[0], sizeof e->place[0], "%s", wl_zipf(&V.city, r, 0));
    e->nplace = 1;
    for (int k = 0; k < 3; k++) {
        e->ti[4 + k] = (int)rbelow(r, 10);
        e->tv[k * 2] = (double)rrange(r, -5, 36);
        e->tv[k * 2 + 1] = e->tv[k * 2] - (double)rrange(r, 4, 14);
    }
    e->ti[7] = (int)rbelow(r, 8);
    e->ti[8] = rrange(r, 5, 20);
    e->ti[9] = e->ti[8] + rrange(r, 5, 20);
    e->ti[10] = e->ti[9] + rrange(r, 5, 30);
    e->ti[11] = rrange(r, 0, 10) * 10;
    e->ti[12] = rrange(r, 5, 7);
    e->ti[13] = rrange(r, 0, 59);
    e->ti[14] = rrange(r, 5, 9);
    e->ti[15] = rrange(r, 0, 59);
    e->ti[16] = rrange(r, 1, 11);
}

static void title_weather(gen_t *g, int variant)
{
    const event_t *e = g->ev;
    if (variant == 0)
        bprintf(g->b, "%s weather: %s with a high of %.0f", e->place[0], WX_COND[e->ti[4]], e->tv[0]);
    else if (variant == 1)
        bprintf(g->b, "%s forecast for %s, %s %d", e->place[0], WDAY[e->wday], MONTH[e->mon], e->mday);
    else
        bprintf(g->b, "Weather: %s today in %s, high %.0f, low %.0f", WX_COND[e->ti[4]], e->place[0], e->tv[0], e->tv[1]);
}

static void body_weather(gen_t *g, const outlet_t *ag)
{
    const event_t *e = g->ev;
    buf_t *b = g->b;
    rng_t *r = g->r;
    (void)ag;
    bprintf(b, "%s in %s on %s, with a high near %.0f degrees and a low around %.0f.", WX_COND[e->ti[4]], e->place[0],
            WDAY[e->wday], e->tv[0], e->tv[1]);
    bprintf(b, "\nWinds from the %s at %d to %d km/h, with gusts up to %d km/h. The chance of precipitation is %d percent.",
            WX_DIR[e->ti[7]], e->ti[8], e->ti[9], e->ti[10], e->ti[11]);
    bprintf(b, "\n%s: %s, high %.0f, low %.0f. %s: %s, high %.0f, low %.0f.", WDAY[(e->wday + 1) % 7],
            WX_COND[e->ti[5]], e->tv[2], e->tv[3], WDAY[(e->wday + 2) % 7], WX_COND[e->ti[6]], e->tv[4], e->tv[5]);
    bprintf(b, "\nSunrise is at %d:%02d a.m. and sunset at %d:%02d p.m. The UV index will be %d, which is %s.",
            e->ti[12], e->ti[13], e->ti[14], e->ti[15], e->ti[16],
            e->ti[16] < 3 ? "low" : e->ti[16] < 6 ? "moderate" : e->ti[16] < 8 ? "high" : "very high");
    if (chance(r, 0.5))
        bprintf(b, "\nAir quality is expected to be %s. Pollen levels: %s.", chance(r, 0.6) ? "good" : "moderate",
                chance(r, 0.5) ? "low" : "medium");
    bprintf(b, "\nThe forecast office said %s conditions would continue through the weekend.",
            chance(r, 0.5) ? "similar" : "changeable");
}

static const char *const LEAGUES[] = {"Premier Division", "National League", "Championship", "Super League",
                                      "First Division", "Coastal Conference"};

static void make_event_sports(rng_t *r, event_t *e)
{
    e->kind = K_SPORTS;
    e->topic = 7;
    for (int k = 0; k < 3; k++) {
        snprintf(e->place[k], sizeof e->place[k], "%s", wl_zipf(&V.city, r, 0));
        snprintf(e->org[k], sizeof e->org[k], "%s %s", e->place[k], wl_unif(&V.mascot, r, 0));
    }
    e->nplace = e->norg = 3;
    e->npers = 4;
    for (int k = 0; k < 4; k++) {
        snprintf(e->pfirst[k], sizeof e->pfirst[k], "%s", wl_zipf(&V.first, r, 0));
        person_name(r, e->plast[k], sizeof e->plast[k], 0);
    }
    e->ti[4] = rrange(r, 1, 4);          /* home goals */
    e->ti[5] = rrange(r, 0, e->ti[4] - 1); /* away goals */
    e->ti[6] = (int)rbelow(r, 6);        /* league */
    e->ti[7] = rrange(r, 1, 8);          /* home position */
    e->ti[8] = rrange(r, 9, 20);         /* away position */
    e->ti[9] = rrange(r, 20, 70);        /* home points */
    e->ti[10] = rrange(r, 10, 40);       /* away points */
    e->ti[11] = rrange(r, 15, 34);       /* games played */
    for (int k = 0; k < 8; k++)
        e->ti[12 + k] = rrange(r, 2, 90);
    for (int a = 13; a < 16; a++) /* home goal minutes in order */
        for (int b = a; b > 12 && e->ti[b] < e->ti[b - 1]; b--) {
            int tmp = e->ti[b];
            e->ti[b] = e->ti[b - 1];
            e->ti[b - 1] = tmp;
        }
}

static void title_sports(gen_t *g, int variant)
{
    const event_t *e = g->ev;
    if (variant == 0)
        bprintf(g->b, "%s beat %s %d-%d", e->org[0], e->org[1], e->ti[4], e->ti[5]);
    else if (variant == 1)
        bprintf(g->b, "%s %d, %s %d", e->org[0], e->ti[4], e->org[1], e->ti[5]);
    else
        bprintf(g->b, "%s: %s see off %s", LEAGUES[e->ti[6]], e->org[0], e->org[1]);
}

static void body_sports(gen_t *g, const outlet_t *ag)
{
    const event_t *e = g->ev;
    buf_t *b = g->b;
    rng_t *r = g->r;
    (void)ag;
    bprintf(b, "%s beat %s %d-%d in the %s on %s, moving up to %d%s in the table.", e->org[0], e->org[1], e->ti[4],
            e->ti[5], LEAGUES[e->ti[6]], WDAY[e->wday], e->ti[7], ordsuf(e->ti[7]));
    bputc(b, '\n');
    for (int k = 0; k < e->ti[4]; k++) {
        int m = e->ti[12 + k], p = k == 0 ? 0 : (int)rbelow(r, 2);
        if (k == 0)
            bprintf(b, "%s %s opened the scoring in the %d%s minute.", e->pfirst[0], e->plast[0], m, ordsuf(m));
        else if (p == 0)
            bprintf(b, " %s scored again in the %d%s minute.", e->plast[0], m, ordsuf(m));
        else
            bprintf(b, " %s %s made it %d-0 in the %d%s minute.", e->pfirst[1], e->plast[1], k + 1, m, ordsuf(m));
    }
    for (int k = 0; k < e->ti[5]; k++) {
        int m = e->ti[16 + k];
        bprintf(b, "\n%s pulled one back through %s %s in the %d%s minute.", e->org[1], e->pfirst[2], e->plast[2], m,
                ordsuf(m));
    }
    bprintf(b, "\n%s are %d%s with %d points from %d games, while %s remain %d%s with %d.", e->org[0], e->ti[7],
            ordsuf(e->ti[7]), e->ti[9], e->ti[11], e->org[1], e->ti[8], ordsuf(e->ti[8]), e->ti[10]);
    if (chance(r, 0.6))
        bprintf(b, "\n\"We showed great character today,\" coach %s %s said after the match.", e->pfirst[3],
                e->plast[3]);
    bprintf(b, "\n%s host %s next %s.", e->org[0], e->org[2], WDAY[(e->wday + rrange(r, 3, 6)) % 7]);
}

static void gen_title(gen_t *g, int variant)
{
    switch (g->ev->kind) {
    case K_EARN: title_earn(g, variant % 3); break;
    case K_MARKET: title_market(g, variant % 3); break;
    case K_WEATHER: title_weather(g, variant % 3); break;
    case K_SPORTS: title_sports(g, variant % 3); break;
    default: title_normal(g); break;
    }
}

static void gen_body(gen_t *g, const outlet_t *ag)
{
    switch (g->ev->kind) {
    case K_EARN: body_earn(g, ag); break;
    case K_MARKET: body_market(g, ag); break;
    case K_WEATHER: body_weather(g, ag); break;
    case K_SPORTS: body_sports(g, ag); break;
    default: body_normal(g, ag, 1); break;
    }
}

/* ----------------------------------------------------------- edits -- */
typedef struct {
    size_t off, len;
} span_t;

static int split_paras(const buf_t *b, span_t *sp, int max)
{
    int n = 0;
    size_t i = 0;
    while (i <= b->n && n < max) {
        size_t j = i;
        while (j < b->n && b->p[j] != '\n')
            j++;
        if (j > i) {
            sp[n].off = i;
            sp[n].len = j - i;
            n++;
        }
        i = j + 1;
    }
    return n;
}

static void put_para(buf_t *dst, const char *s, size_t n)
{
    if (dst->n)
        bputc(dst, '\n');
    bput(dst, s, n);
}

static void e_trim(rng_t *r, const buf_t *src, buf_t *dst)
{
    span_t sp[MAXP];
    int n = split_paras(src, sp, MAXP);
    int keep = (int)ceil(runif(r, 0.4, 0.95) * n);
    if (keep < 1)
        keep = 1;
    bclear(dst);
    for (int i = 0; i < keep && i < n; i++)
        put_para(dst, src->p + sp[i].off, sp[i].len);
}

static size_t dateline_end(const buf_t *b)
{
    size_t lim = b->n < 90 ? b->n : 90;
    for (size_t i = 0; i + 3 < lim; i++) {
        if (b->p[i] == '\n')
            return 0;
        if (b->p[i] == ')' && b->p[i + 1] == ' ' && b->p[i + 2] == '-' && b->p[i + 3] == ' ')
            return i + 4;
    }
    return 0;
}

static void e_strip_dateline(const buf_t *src, buf_t *dst)
{
    size_t e = dateline_end(src);
    bclear(dst);
    bput(dst, src->p + e, src->n - e);
    if (dst->n)
        dst->p[0] = to_upper(dst->p[0]);
}

static void e_strip_credit(const buf_t *src, buf_t *dst)
{
    span_t sp[MAXP];
    int n = split_paras(src, sp, MAXP);
    bclear(dst);
    for (int i = 0; i < n; i++) {
        if (i == n - 1 && n > 1 && strncmp(src->p + sp[i].off, "Reporting by", 12) == 0)
            break;
        put_para(dst, src->p + sp[i].off, sp[i].len);
    }
}

/* word-level rewording of s[0,n) into dst: synonyms, else same-category words */
static void reword_range(rng_t *r, const char *s, size_t n, buf_t *dst)
{
    size_t i = 0;
    while (i < n) {
        if (s[i] == ' ') {
            bputc(dst, ' ');
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && s[j] != ' ')
            j++;
        size_t k = i;
        while (k < j && is_lower(s[k]))
            k++;
        size_t wl = k - i;
        int punct_tail = 1; /* the rest of the token must be punctuation */
        for (size_t q = k; q < j; q++)
            if (is_alpha(s[q]) || is_digit(s[q]) || s[q] == '\'' || s[q] == '-')
                punct_tail = 0;
        const char *rep = NULL;
        if (wl >= 2 && wl < 48 && punct_tail) { /* capitalised words (names) are left alone */
            rep = chance(r, 0.6) ? syn_pick(s + i, wl, r) : NULL;
            if (!rep && wl > 3 && chance(r, 0.12)) {
                switch (cat_lookup(s + i, wl)) {
                case C_NOUN_S: rep = wl_zipf(&V.noun, r, F_SING); break;
                case C_NOUN_P: rep = wl_zipf(&V.noun, r, F_PLUR); break;
                case C_ADJ: rep = wl_zipf(&V.adj, r, 0); break;
                case C_ADV: rep = wl_zipf(&V.adv, r, 0); break;
                case C_VERB_PAST: rep = wl_zipf(&V.verb, r, F_PAST); break;
                default: break;
                }
            }
        }
        if (rep) {
            bputs(dst, rep);
            bput(dst, s + k, j - k);
        } else {
            bput(dst, s + i, j - i);
        }
        i = j;
    }
}

static void e_reword_lead(rng_t *r, const buf_t *src, buf_t *dst)
{
    bclear(dst);
    size_t st = dateline_end(src);
    size_t pe = st;
    while (pe < src->n && src->p[pe] != '\n')
        pe++;
    size_t se = st;
    while (se < pe && !(src->p[se] == '.' && (se + 1 == pe || src->p[se + 1] == ' ')))
        se++;
    bput(dst, src->p, st);
    /* optionally move a trailing attribution to the front is not attempted;
       instead words get synonyms / same-category replacements */
    reword_range(r, src->p + st, se - st, dst);
    bput(dst, src->p + se, src->n - se);
}

static void e_numbers(const buf_t *src, buf_t *dst, int style)
{
    bclear(dst);
    const char *s = src->p;
    size_t n = src->n, i = 0;
    while (i < n) {
        char c = s[i];
        if (c == ' ' || c == '\n') {
            bputc(dst, c);
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && s[j] != ' ' && s[j] != '\n')
            j++;
        size_t k = i;
        while (k < j && is_alpha(s[k]))
            k++;
        size_t wl = k - i;
        const char *rep = NULL;
        int attach = 0;
        if (wl == 3 && i >= 2 && s[i - 1] == ' ' && is_digit(s[i - 2])) {
            if (memcmp(s + i, "mln", 3) == 0)
                rep = "million";
            else if (memcmp(s + i, "bln", 3) == 0)
                rep = "billion";
            else if (memcmp(s + i, "pct", 3) == 0) {
                rep = style == 2 ? "%" : "percent";
                attach = style == 2;
            } else if (memcmp(s + i, "cts", 3) == 0)
                rep = "cents";
        } else if (wl == 4 && i > 0 && memcmp(s + i, "dlrs", 4) == 0) {
            rep = "dollars";
        }
        if (rep) {
            if (attach && dst->n && dst->p[dst->n - 1] == ' ')
                dst->n--;
            bputs(dst, rep);
            bput(dst, s + k, j - k);
        } else {
            bput(dst, s + i, j - i);
        }
        i = j;
    }
}

static void e_typos(rng_t *r, const buf_t *src, buf_t *dst, double rate)
{
    bcopy(dst, src);
    char *s = dst->p;
    size_t n = dst->n, i = 0;
    while (i < n) {
        while (i < n && !is_lower(s[i]))
            i++;
        size_t j = i;
        while (j < n && is_alpha(s[j]))
            j++;
        size_t wl = j - i;
        if (wl >= 4 && chance(r, rate)) {
            size_t p = i + 1 + rbelow(r, (uint32_t)(wl - 2));
            int op = (int)rbelow(r, 3);
            if (op == 0) { /* swap */
                char t = s[p];
                s[p] = s[p + 1];
                s[p + 1] = t;
            } else if (op == 1) { /* drop */
                memmove(s + p, s + p + 1, n - p - 1);
                n--;
                j--;
            } else { /* double */
                bgrow(dst, 1);
                s = dst->p;
                memmove(s + p + 1, s + p, n - p);
                n++;
                j++;
            }
            dst->n = n;
            s[n] = 0;
        }
        i = j;
    }
}

static void e_insert_para(const buf_t *src, buf_t *dst, int pos, const char *para, size_t plen, int times)
{
    span_t sp[MAXP];
    int n = split_paras(src, sp, MAXP);
    if (pos > n)
        pos = n;
    bclear(dst);
    for (int i = 0; i <= n; i++) {
        if (i == pos)
            for (int t = 0; t < times; t++)
                put_para(dst, para, plen);
        if (i < n)
            put_para(dst, src->p + sp[i].off, sp[i].len);
    }
}

static void e_local(rng_t *r, const event_t *ev, const outlet_t *o, const buf_t *src, buf_t *dst)
{
    event_t loc = *ev;
    /* local angle: the outlet's city becomes the main place, plus a local voice */
    snprintf(loc.place[0], sizeof loc.place[0], "%s", o->city);
    if (loc.nplace < 1)
        loc.nplace = 1;
    if (loc.npers < 4) {
        int i = loc.npers;
        snprintf(loc.pfirst[i], sizeof loc.pfirst[i], "%s", wl_zipf(&V.first, r, 0));
        person_name(r, loc.plast[i], sizeof loc.plast[i], 0);
        snprintf(loc.prole[i], sizeof loc.prole[i], "a %s resident", o->city);
        loc.npers++;
    }
    if (loc.kind != K_NORMAL)
        loc.kind = K_NORMAL;
    buf_t para = {0};
    gen_t g = {r, &loc, &para, {0}, 0, 0, 0};
    bprintf(&para, "In %s,", o->city);
    g.space = 1;
    g.sw = 2;
    np(&g, 1);
    vp(&g);
    gp(&g, ".");
    if (chance(r, 0.7))
        sentence(&g, 0);
    int n = 0;
    for (size_t i = 0; i < src->n; i++)
        n += src->p[i] == '\n';
    int pos = chance(r, 0.6) ? 2 : n + 1;
    if (pos > n) {
        /* keep a trailing credit line last */
        const char *lastnl = NULL;
        for (size_t i = src->n; i > 0; i--)
            if (src->p[i - 1] == '\n') {
                lastnl = src->p + i;
                break;
            }
        if (lastnl && strncmp(lastnl, "Reporting by", 12) == 0)
            pos = n;
    }
    e_insert_para(src, dst, pos, para.p, para.n, 1);
    bfree(&para);
}

static void e_caption(rng_t *r, const event_t *ev, const outlet_t *src_agency, const buf_t *src, buf_t *dst)
{
    buf_t cap = {0};
    char ph[64];
    person_name(r, ph, sizeof ph, 1);
    static const char *const ACT[] = {"speaks during a news conference", "arrives for a meeting",
                                      "looks on during a visit", "attends a ceremony", "talks to reporters"};
    if (ev->npers && ev->kind == K_NORMAL)
        bprintf(&cap, "%s %s %s in %s on %s %d, %d. %s/%s", ev->pfirst[0], ev->plast[0], ACT[rbelow(r, 5)],
                ev->nplace ? ev->place[0] : "the city", MONTH[ev->mon], ev->mday, ev->year,
                src_agency->abbr, ph);
    else
        bprintf(&cap, "A general view of %s on %s %d, %d. %s/%s", ev->nplace ? ev->place[0] : "the city",
                MONTH[ev->mon], ev->mday, ev->year, src_agency->abbr, ph);
    e_insert_para(src, dst, 1, cap.p, cap.n, 2);
    bfree(&cap);
}

/* ---------------------------------------------------------- rendering -- */
#define RECENT 64
static char recent_titles[RECENT][160];
static uint64_t recent_n;

static void remember_title(const char *t)
{
    snprintf(recent_titles[recent_n % RECENT], sizeof recent_titles[0], "%s", t);
    recent_n++;
}

static const char *const AD_TEXT[4] = {"Advertisement", "ADVERTISEMENT", "Story continues below advertisement",
                                       "Article continues below this ad"};

static int count_words(const buf_t *b)
{
    int n = 0, in = 0;
    for (size_t i = 0; i < b->n; i++) {
        int sp = b->p[i] == ' ' || b->p[i] == '\n';
        if (!sp && !in)
            n++;
        in = !sp;
    }
    return n;
}

/* body (paragraphs) -> full text with outlet boilerplate */
static void render_full(rng_t *r, const buf_t *body, const outlet_t *o, const outlet_t *agency, int64_t t,
                        buf_t *full)
{
    span_t sp[MAXP];
    int n = split_paras(body, sp, MAXP);
    bclear(full);
    civil_t c = civil_from_time(t);
    if (o->reading_time && chance(r, P_TEMPLATE_LINE)) {
        if (full->n)
            bputc(full, '\n');
        bprintf(full, "%d min read", count_words(body) / 230 + 1);
    }
    if (o->byline && chance(r, P_TEMPLATE_LINE)) {
        if (full->n)
            bputc(full, '\n');
        const char *rep = o->reporter[rbelow(r, 4)];
        switch (o->byline) {
        case 1: bprintf(full, "By %s", rep); break;
        case 2: bprintf(full, "By %s | %s", rep, o->name); break;
        case 3: bprintf(full, "%s Staff", o->name); break;
        default: bprintf(full, "By %s, %s", agency->name, agency->abbr); break;
        }
    }
    if (o->published && chance(r, P_TEMPLATE_LINE)) {
        if (full->n)
            bputc(full, '\n');
        int h12 = c.hour % 12 ? c.hour % 12 : 12;
        bprintf(full, "Published %s %d, %d at %d:%02d %s", MONTH[c.mon - 1], c.mday, c.year, h12, c.min,
                c.hour < 12 ? "a.m." : "p.m.");
    }
    int ads = o->ad_every && chance(r, P_TEMPLATE_LINE);
    int rm = o->read_more && n > 3 && recent_n > 1 && chance(r, P_TEMPLATE_LINE);
    int rm_pos = rm ? 1 + (int)rbelow(r, (uint32_t)(n - 2)) : -1;
    int nl = o->newsletter && chance(r, P_TEMPLATE_LINE);
    int nl_pos = nl && o->newsletter_mid ? n / 2 : n;
    for (int i = 0; i < n; i++) {
        put_para(full, body->p + sp[i].off, sp[i].len);
        if (ads && (i + 1) % o->ad_every == 0 && i + 1 < n)
            put_para(full, AD_TEXT[o->ad_kind], strlen(AD_TEXT[o->ad_kind]));
        if (i + 1 == rm_pos) {
            bputc(full, '\n');
            const char *rt = recent_titles[(recent_n - 1 - rbelow(r, (uint32_t)(recent_n < RECENT ? recent_n : RECENT))) % RECENT];
            static const char *const RM[3] = {"Read more: ", "READ MORE: ", "Related: "};
            bputs(full, RM[(o->read_more - 1) % 3]);
            bputs(full, rt);
        }
        if (nl && i + 1 == nl_pos && nl_pos < n) {
            bputc(full, '\n');
            nl = 2;
        }
        if (nl == 2) {
            switch (o->newsletter) {
            case 1: bprintf(full, "Sign up for the %s morning briefing, delivered to your inbox every weekday.", o->name); break;
            case 2: bprintf(full, "Get the latest news from %s and beyond: subscribe to our free daily newsletter.", o->city); break;
            case 3: bputs(full, "Want more stories like this? Sign up for our newsletter to get the top headlines every morning."); break;
            case 4: bprintf(full, "Stay informed. Subscribe to %s for unlimited access to local journalism.", o->name); break;
            default: bprintf(full, "Never miss a story: sign up for %s breaking news alerts.", o->name); break;
            }
            nl = 0;
        }
    }
    if (nl == 1) {
        bputc(full, '\n');
        switch (o->newsletter) {
        case 1: bprintf(full, "Sign up for the %s morning briefing, delivered to your inbox every weekday.", o->name); break;
        case 2: bprintf(full, "Get the latest news from %s and beyond: subscribe to our free daily newsletter.", o->city); break;
        case 3: bputs(full, "Want more stories like this? Sign up for our newsletter to get the top headlines every morning."); break;
        case 4: bprintf(full, "Stay informed. Subscribe to %s for unlimited access to local journalism.", o->name); break;
        default: bprintf(full, "Never miss a story: sign up for %s breaking news alerts.", o->name); break;
        }
    }
    if (o->pref_source && chance(r, P_TEMPLATE_LINE)) {
        bputc(full, '\n');
        bprintf(full, "Add %s as a preferred source to see more of our stories on Google.", o->name);
    }
    if (o->copyright && chance(r, P_TEMPLATE_LINE)) {
        bputc(full, '\n');
        switch (o->copyright) {
        case 1: bprintf(full, "\xC2\xA9 %d %s. All rights reserved.", c.year, o->name); break;
        case 2: bprintf(full, "Copyright %d %s. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.", c.year, o->name); break;
        case 3: bprintf(full, "(c) %d %s Media Group. Some content supplied by %s.", c.year, o->name, agency->name); break;
        default: bprintf(full, "This story was originally published by %s.", agency->name); break;
        }
    }
}

/* straight quotes -> typographic quotes for outlets that use them */
static void curlify(buf_t *b, buf_t *tmp)
{
    bclear(tmp);
    for (size_t i = 0; i < b->n; i++) {
        char c = b->p[i];
        if (c == '"') {
            int open = i == 0 || b->p[i - 1] == ' ' || b->p[i - 1] == '\n';
            bputs(tmp, open ? "\xE2\x80\x9C" : "\xE2\x80\x9D");
        } else if (c == '\'' && i > 0 && is_alpha(b->p[i - 1])) {
            bputs(tmp, "\xE2\x80\x99");
        } else {
            bputc(tmp, c);
        }
    }
    bcopy(b, tmp);
}

static void render_title(const buf_t *raw, const outlet_t *o, buf_t *out)
{
    bclear(out);
    bput(out, raw->p, raw->n);
    if (o->title_case) {
        static const char *const SMALL[] = {"a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "as", "by", "vs", NULL};
        int first = 1;
        for (size_t i = 0; i < out->n;) {
            size_t j = i;
            while (j < out->n && out->p[j] != ' ')
                j++;
            int small = 0;
            for (int k = 0; SMALL[k]; k++)
                if (strlen(SMALL[k]) == j - i && strncmp(SMALL[k], out->p + i, j - i) == 0)
                    small = 1;
            if (!small || first)
                out->p[i] = to_upper(out->p[i]);
            first = 0;
            i = j + 1;
        }
    }
    if (o->title_suffix == 1)
        bprintf(out, " | %s", o->name);
    else if (o->title_suffix == 2)
        bprintf(out, " - %s", o->name);
}

static void json_str(buf_t *o, const char *s, size_t n, int paras)
{
    bputc(o, '"');
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && (unsigned char)s[j] >= 0x20 && s[j] != '"' && s[j] != '\\')
            j++;
        if (j > i)
            bput(o, s + i, j - i);
        if (j >= n)
            break;
        unsigned char c = (unsigned char)s[j];
        if (c == '"')
            bput(o, "\\\"", 2);
        else if (c == '\\')
            bput(o, "\\\\", 2);
        else if (c == '\n')
            bput(o, paras ? "\\n\\n" : "\\n", paras ? 4 : 2);
        else if (c == '\t')
            bput(o, "\\t", 2);
        else {
            static const char hex[] = "0123456789abcdef";
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            bput(o, e, 6);
        }
        i = j + 1;
    }
    bputc(o, '"');
}

static const char *const SECTION[N_TOPICS] = {"politics", "business", "news/crime", "news", "health", "technology",
                                              "environment", "education"};

static void make_url(rng_t *r, const outlet_t *o, const buf_t *title, int kind, int topic, int64_t t, buf_t *u)
{
    civil_t c = civil_from_time(t);
    bputs(u, "https://www.");
    bputs(u, o->domain);
    if (o->agency) {
        bputs(u, "/article/");
    } else {
        const char *sec = kind == K_EARN || kind == K_MARKET ? "business/markets"
                          : kind == K_WEATHER              ? "weather"
                          : kind == K_SPORTS               ? "sports"
                                                           : SECTION[topic];
        bprintf(u, "/%s/%d/%02d/%02d/", sec, c.year, c.mon, c.mday);
    }
    int words = 0, dash = 0;
    for (size_t i = 0; i < title->n && words < 9; i++) {
        char ch = title->p[i];
        if (is_alpha(ch) || is_digit(ch)) {
            if (dash && u->p[u->n - 1] != '/')
                bputc(u, '-');
            dash = 0;
            bputc(u, to_lower(ch));
        } else if (ch == ' ') {
            dash = 1;
            words++;
        }
    }
    if (o->agency)
        bprintf(u, "-id%08llx", (unsigned long long)(rnext(r) & 0xffffffffull));
    else
        bprintf(u, "-%u", 100000u + rbelow(r, 900000u));
}

/* ------------------------------------------------------- story slots -- */
typedef struct {
    buf_t out;
    int nd, next;
    size_t off[MAXD], len[MAXD];
    int src[MAXD];
    uint64_t id[MAXD];
    uint64_t story;
} slot_t;

typedef struct {
    buf_t title, body, full;
    int outlet;
    int64_t t;
} sdoc_t;

static struct {
    uint64_t seed;
    int64_t clock;
    uint64_t next_story;
    event_t twin;
    int have_twin, twin_agency;
    uint64_t twin_story;
    sdoc_t sd[MAXD];
    buf_t t1, t2, tmp, line;
    FILE *stories;
    uint64_t hist[MAXD + 1];
    uint64_t kinds[K_COUNT], twins, stories_done;
} G;

static void sd_set_body(sdoc_t *d, buf_t *nb)
{
    buf_t t = d->body;
    d->body = *nb;
    *nb = t;
}

static void render_doc(rng_t *r, slot_t *sl, const sdoc_t *d, const event_t *ev)
{
    const outlet_t *o = &OUT[d->outlet];
    buf_t *L = &sl->out;
    sl->off[sl->nd] = L->n;
    bputs(L, "{\"id\":\"d0000000000\",\"outlet\":");
    json_str(L, o->name, strlen(o->name), 0);
    bputs(L, ",\"date\":\"");
    iso_date(L, d->t);
    bputs(L, "\",\"title\":");
    render_title(&d->title, o, &G.tmp);
    json_str(L, G.tmp.p, G.tmp.n, 0);
    bputs(L, ",\"url\":");
    bclear(&G.t1);
    make_url(r, o, &d->title, ev->kind, ev->topic, d->t, &G.t1);
    json_str(L, G.t1.p, G.t1.n, 0);
    bputs(L, ",\"text\":");
    if (o->curly) {
        bcopy(&G.t2, &d->full);
        curlify(&G.t2, &G.tmp);
        json_str(L, G.t2.p, G.t2.n, 1);
    } else {
        json_str(L, d->full.p, d->full.n, 1);
    }
    bputs(L, "}\n");
    sl->len[sl->nd] = L->n - sl->off[sl->nd];
    sl->nd++;
}

static int geometric_copies(rng_t *r)
{
    for (;;) { /* Geometric(P_COPIES_GEOM) conditioned on k <= MAX_COPIES */
        int k = 0;
        while (k <= MAX_COPIES && !chance(r, P_COPIES_GEOM))
            k++;
        if (k <= MAX_COPIES)
            return k;
    }
}

static void make_story(slot_t *sl)
{
    uint64_t sno = G.next_story++;
    rng_t rr, *r = &rr;
    rng_seed(r, G.seed, sno + 1);
    event_t ev;
    memset(&ev, 0, sizeof ev);
    int agency;
    int64_t t0;
    uint64_t event_id = sno;
    if (G.have_twin) {
        /* same event, different agency, independently generated wording */
        ev = G.twin;
        ev.twin = 1;
        event_id = G.twin_story;
        G.have_twin = 0;
        do
            agency = pick_cdf(agency_cdf, 0, N_AGENCIES - 1, r);
        while (agency == G.twin_agency);
        G.clock += rrange(r, 60, 1800);
        t0 = G.clock;
        G.twins++;
    } else {
        G.clock += 1 + (int64_t)(-45.0 * log(1.0 - ru(r)));
        t0 = G.clock;
        civil_t c = civil_from_time(t0);
        double u = ru(r);
        if (u < P_EARN)
            make_event_earn(r, &ev);
        else if (u < P_EARN + P_MARKET)
            make_event_market(r, &ev);
        else if (u < P_EARN + P_MARKET + P_WEATHER)
            make_event_weather(r, &ev);
        else if (u < P_EARN + P_MARKET + P_WEATHER + P_SPORTS)
            make_event_sports(r, &ev);
        else
            make_event_normal(r, &ev);
        ev.wday = c.wday;
        ev.mon = c.mon - 1;
        ev.mday = c.mday;
        ev.year = c.year;
        agency = pick_cdf(agency_cdf, 0, N_AGENCIES - 1, r);
        if (ev.kind == K_NORMAL && chance(r, P_TWIN)) {
            G.twin = ev;
            G.have_twin = 1;
            G.twin_agency = agency;
            G.twin_story = sno;
        }
    }
    G.kinds[ev.kind]++;
    const outlet_t *ag = &OUT[agency];

    /* ---- origin ---- */
    sdoc_t *o = &G.sd[0];
    bclear(&o->title);
    bclear(&o->body);
    gen_t g = {r, &ev, &o->title, {0}, 0, 0, 0};
    gen_title(&g, 0);
    g.b = &o->body;
    g.space = 0;
    memset(g.men, 0, sizeof g.men);
    gen_body(&g, ag);
    o->outlet = agency;
    o->t = t0;
    render_full(r, &o->body, ag, ag, t0, &o->full);

    sl->out.n = 0;
    sl->nd = 0;
    sl->next = 0;
    sl->story = sno;
    sl->src[0] = -1;
    render_doc(r, sl, o, &ev);

    /* ---- schedule copies ---- */
    int nc = geometric_copies(r);
    int upd = chance(r, P_UPDATE);
    int total = nc + upd;
    int64_t delay[MAXD];
    int isupd[MAXD];
    for (int k = 0; k < total; k++) {
        isupd[k] = upd && k == total - 1;
        double d = isupd[k] ? runif(r, 1800, 14400) : exp(log(4500.0) + 1.4 * rnorm(r));
        if (d < 120)
            d = 120;
        if (d > 4 * 86400)
            d = 4 * 86400;
        delay[k] = (int64_t)d;
    }
    for (int a = 1; a < total; a++) /* insertion sort by delay */
        for (int b = a; b > 0 && delay[b] < delay[b - 1]; b--) {
            int64_t td = delay[b];
            delay[b] = delay[b - 1];
            delay[b - 1] = td;
            int ti = isupd[b];
            isupd[b] = isupd[b - 1];
            isupd[b - 1] = ti;
        }
    int used[MAXD];
    used[0] = agency;
    for (int k = 0; k < total; k++) {
        int di = k + 1;
        sdoc_t *d = &G.sd[di];
        int src = 0;
        if (isupd[k]) {
            d->outlet = agency;
        } else {
            if (di > 1 && chance(r, P_COPY_OF_COPY))
                src = 1 + (int)rbelow(r, (uint32_t)(di - 1));
            int oi = 0;
            for (int tries = 0; tries < 6; tries++) {
                oi = pick_cdf(copier_cdf, N_AGENCIES, N_OUTLETS - 1, r);
                int dup = 0;
                for (int q = 0; q < di; q++)
                    dup |= used[q] == oi;
                if (!dup)
                    break;
            }
            d->outlet = oi;
        }
        used[di] = d->outlet;
        d->t = t0 + delay[k];
        const sdoc_t *s = &G.sd[src];
        const outlet_t *out = &OUT[d->outlet];
        if (isupd[k]) {
            bclear(&d->title);
            bputs(&d->title, "UPDATE 1-");
            bput(&d->title, s->title.p, s->title.n);
            e_strip_credit(&s->body, &G.t1);
            gen_t gg = {r, &ev, &G.t1, {1, 1, 1, 1}, 0, 0, 1};
            int extra = rrange(r, 1, 2);
            for (int p = 0; p < extra; p++) {
                gpara(&gg);
                int ns = para_len(r);
                if (ev.kind != K_NORMAL) {
                    bputs(&G.t1, "This story has been updated with additional details.");
                    continue;
                }
                for (int q = 0; q < ns; q++)
                    sentence(&gg, 0);
            }
            if (ag->credit_line)
                credit_line(&gg);
            bcopy(&d->body, &G.t1);
        } else {
            /* body inherited from the source (boilerplate leaks with P_LEAK_BOILER) */
            if (src > 0 && chance(r, P_LEAK_BOILER))
                bcopy(&d->body, &s->full);
            else
                bcopy(&d->body, &s->body);
            if (dateline_end(&d->body) && chance(r, P_STRIP_DATELINE)) {
                e_strip_dateline(&d->body, &G.t1);
                sd_set_body(d, &G.t1);
            }
            if (chance(r, P_STRIP_CREDIT)) {
                e_strip_credit(&d->body, &G.t1);
                sd_set_body(d, &G.t1);
            }
            if (chance(r, P_TRIM)) {
                e_trim(r, &d->body, &G.t1);
                sd_set_body(d, &G.t1);
            }
            if (ev.kind == K_NORMAL && chance(r, P_REWORD)) {
                e_reword_lead(r, &d->body, &G.t1);
                sd_set_body(d, &G.t1);
            }
            if (ev.kind == K_NORMAL && chance(r, P_LOCAL)) {
                e_local(r, &ev, out, &d->body, &G.t1);
                sd_set_body(d, &G.t1);
            }
            if (out->num_style && chance(r, P_NUMBERS)) {
                e_numbers(&d->body, &G.t1, out->num_style);
                sd_set_body(d, &G.t1);
            }
            if (chance(r, P_CAPTION) && ev.kind != K_EARN) {
                e_caption(r, &ev, ag, &d->body, &G.t1);
                sd_set_body(d, &G.t1);
            }
            if (chance(r, P_TYPOS)) {
                e_typos(r, &d->body, &G.t1, TYPO_RATE);
                sd_set_body(d, &G.t1);
            }
            bclear(&d->title);
            if (chance(r, P_HEADLINE)) {
                gen_t gt = {r, &ev, &d->title, {1, 1, 1, 1}, 0, 0, 0};
                gen_title(&gt, 1 + (int)rbelow(r, 3));
            } else {
                bput(&d->title, s->title.p, s->title.n);
            }
        }
        render_full(r, &d->body, out, ag, d->t, &d->full);
        sl->src[di] = src;
        render_doc(r, sl, d, &ev);
    }
    remember_title(o->title.p);
    if (G.stories)
        fprintf(G.stories, "s%09llu\t%s\ts%09llu\t%s\t%d\n", (unsigned long long)sno, KIND_NAME[ev.kind],
                (unsigned long long)event_id, ag->name, sl->nd);
}

/* --------------------------------------------------------------- main -- */
static void usage(void)
{
    fputs("usage: syndgen --docs N [--seed S] [--out FILE.jsonl] [--truth FILE.tsv] [--stories FILE.tsv] [--quiet]\n"
          "  writes N JSONL news documents (stdout if no --out) and the ground truth\n"
          "  (id, story, source) as TSV. Same arguments => byte-identical output.\n",
          stderr);
}

static double now_sec(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void write_id(char *p, uint64_t id)
{
    for (int i = 9; i >= 0; i--) {
        p[i] = (char)('0' + (int)(id % 10));
        id /= 10;
    }
}

int main(int argc, char **argv)
{
    unsigned long long ndocs = 0;
    unsigned long long seed = 20260304ull;
    const char *out_path = NULL, *truth_path = NULL, *stories_path = NULL;
    int quiet = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--docs") && v) {
            ndocs = strtoull(v, NULL, 10);
            i++;
        } else if (!strcmp(a, "--seed") && v) {
            seed = strtoull(v, NULL, 10);
            i++;
        } else if (!strcmp(a, "--out") && v) {
            out_path = v;
            i++;
        } else if (!strcmp(a, "--truth") && v) {
            truth_path = v;
            i++;
        } else if (!strcmp(a, "--stories") && v) {
            stories_path = v;
            i++;
        } else if (!strcmp(a, "--quiet")) {
            quiet = 1;
        } else if (!strcmp(a, "--gzip")) {
            fputs("syndgen: --gzip is not supported; pipe stdout through gzip instead\n", stderr);
            return 2;
        } else {
            usage();
            return 2;
        }
    }
    if (ndocs == 0 || ndocs >= 10000000000ull) {
        usage();
        return 2;
    }
    FILE *out = stdout, *truth = NULL;
    if (out_path && !(out = fopen(out_path, "wb"))) {
        perror(out_path);
        return 1;
    }
    if (truth_path && !(truth = fopen(truth_path, "wb"))) {
        perror(truth_path);
        return 1;
    }
    if (stories_path && !(G.stories = fopen(stories_path, "wb"))) {
        perror(stories_path);
        return 1;
    }
    static char obuf[1 << 20], tbuf[1 << 18];
    setvbuf(out, obuf, _IOFBF, sizeof obuf);
    if (truth) {
        setvbuf(truth, tbuf, _IOFBF, sizeof tbuf);
        fputs("id\tstory\tsource\n", truth);
    }
    if (G.stories)
        fputs("story\tkind\tevent\torigin_outlet\tplanned_docs\n", G.stories);

    double t_start = now_sec();
    vocab_init();
    G.seed = seed;
    G.clock = days_from_civil(2026, 1, 1) * 86400 + 6 * 3600;
    outlets_init(seed);

    static slot_t slots[NSLOTS];
    for (int i = 0; i < NSLOTS; i++)
        make_story(&slots[i]);
    rng_t sched;
    rng_seed(&sched, seed, 0xC0FFEEull);
    uint64_t bytes = 0;
    buf_t tl = {0};
    for (uint64_t id = 0; id < ndocs; id++) {
        slot_t *sl = &slots[rbelow(&sched, NSLOTS)];
        int k = sl->next++;
        sl->id[k] = id;
        char *line = sl->out.p + sl->off[k];
        write_id(line + 8, id);
        fwrite(line, 1, sl->len[k], out);
        bytes += sl->len[k];
        if (truth) {
            bclear(&tl);
            bputc(&tl, 'd');
            bgrow(&tl, 10);
            write_id(tl.p + tl.n, id);
            tl.n += 10;
            bputs(&tl, "\ts");
            char sid[16];
            snprintf(sid, sizeof sid, "%09llu", (unsigned long long)sl->story);
            bputs(&tl, sid);
            bputc(&tl, '\t');
            if (sl->src[k] >= 0) {
                bputc(&tl, 'd');
                bgrow(&tl, 10);
                write_id(tl.p + tl.n, sl->id[sl->src[k]]);
                tl.n += 10;
            }
            bputc(&tl, '\n');
            fwrite(tl.p, 1, tl.n, truth);
        }
        if (sl->next == sl->nd) {
            G.hist[sl->nd - 1]++;
            G.stories_done++;
            make_story(sl);
        }
    }
    for (int i = 0; i < NSLOTS; i++)
        if (slots[i].next > 0) {
            G.hist[slots[i].next - 1]++;
            G.stories_done++;
        }
    if (fflush(out) != 0 || (out != stdout && fclose(out) != 0)) {
        perror("output");
        return 1;
    }
    if (truth && fclose(truth) != 0) {
        perror("truth");
        return 1;
    }
    if (G.stories && fclose(G.stories) != 0) {
        perror("stories");
        return 1;
    }
    double el = now_sec() - t_start;
    if (!quiet) {
        fprintf(stderr, "syndgen: %llu docs, %llu stories emitted, %.1f MB in %.2f s = %.1f MB/s, %.0f docs/s\n",
                ndocs, (unsigned long long)G.stories_done, (double)bytes / 1e6, el, (double)bytes / 1e6 / el,
                (double)ndocs / el);
        fprintf(stderr, "syndgen: story kinds generated:");
        for (int k = 0; k < K_COUNT; k++)
            fprintf(stderr, " %s=%llu", KIND_NAME[k], (unsigned long long)G.kinds[k]);
        fprintf(stderr, " (of which same-event twins=%llu)\n", (unsigned long long)G.twins);
        fprintf(stderr, "syndgen: copies per emitted story:");
        for (int k = 0; k <= MAXD; k++)
            if (G.hist[k])
                fprintf(stderr, " %d:%llu", k, (unsigned long long)G.hist[k]);
        fputc('\n', stderr);
    }
    bfree(&tl);
    for (int i = 0; i < NSLOTS; i++)
        bfree(&slots[i].out);
    return 0;
}
