#!/usr/bin/env python3
"""Generate the syndic sample corpus (corpus/articles.jsonl, corpus/truth.tsv).

Deterministic: standard library only, one fixed-seed random.Random stream.
Run from anywhere:  python3 corpus/make_corpus.py
All text is invented (see corpus/README.md).

Inputs:  corpus/stories/sNN.txt  hand-written wire stories (origin + alt lead)
         corpus/stories/dNN.txt  hand-written independent reports of the same
                                 event as an sNN story, by a different agency
Templated distractors (earnings, sports results, weather, market close,
money-market notices) are generated below from hand-written templates.
"""

import datetime as dt
import email.utils
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
STORY_DIR = os.path.join(HERE, "stories")
SEED = 20260302
UTC = dt.timezone.utc
STATS = {}


def tally(key):
    STATS[key] = STATS.get(key, 0) + 1

# ---------------------------------------------------------------------------
# Agencies (origin publishers)
# ---------------------------------------------------------------------------
AGENCIES = {
    "wpi": dict(name="Wire Press International", short="Wire Press",
                domain="wirepress.example", url="https://www.{d}/news/{y}/{m}/{dd}/{slug}"),
    "cna": dict(name="Continental News Agency", short="CNA",
                domain="cna-news.example", url="https://{d}/article/{y}{m}{dd}-{slug}-{n}"),
    "pacpress": dict(name="Pacific Press", short="Pacific Press",
                     domain="pacificpress.example", url="https://{d}/{y}/{m}/{dd}/{slug}/"),
    "meridian": dict(name="Meridian Newswire", short="Meridian",
                     domain="meridiannewswire.example", url="https://www.{d}/story/{slug}-{n}"),
}

# ---------------------------------------------------------------------------
# Republishing outlets.  Every outlet has its OWN consistent template lines.
#   tz: UTC offset in minutes; datefmt: 'iso' or 'rfc' for the JSON date field
#   header/footer: list of (line, probability); {agency}, {outlet}, {mins},
#                  {human} are filled in per article
#   ad: (line, min_gap, max_gap, p_double) or None
#   readmore: (prefix, probability, where)   where in {'mid','end'}
#   caption: (probability, suffix)
#   numbers: probability of applying the outlet's number style, and the style
#   title: probability of keeping the agency headline verbatim
#   strip_dateline: probability of removing the agency credit from dateline
#   weights: affinity per agency (who subscribes to what)
# ---------------------------------------------------------------------------
OUTLETS = [
    dict(slug="dailyharbor", name="The Daily Harbor", domain="dailyharbor.example",
         town="Port Ellery", tz=0, datefmt="iso", human="yahoo",
         url="https://www.{d}/news/world/{y}/{m}/{dd}/{slug}/",
         header=[("{agency}{agency}", 0.85), ("{human}", 0.9), ("{mins} min read", 0.85)],
         ad=("Advertisement", 2, 3, 0.25),
         readmore=("Read more: ", 0.6, "mid"),
         footer=[("Add The Daily Harbor as a preferred source to see more of our stories on Google.", 0.9)],
         caption=(0.4, ""),
         numbers=(0.8, dict(mln="million", bln="billion", pct="percent", dlrs="dollars", digits=None)),
         title=0.15, strip_dateline=0.0,
         weights=dict(wpi=3, cna=3, pacpress=2, meridian=2)),
    dict(slug="northfieldcourier", name="Northfield Courier", domain="northfieldcourier.example",
         town="Northfield", tz=-300, datefmt="iso", human="courier",
         url="https://{d}/{y}/{m}/{dd}/{slug}-{n}.html",
         header=[("By {agency}", 0.9), ("{human}", 0.8)],
         ad=("ADVERTISEMENT", 3, 3, 0.0),
         readmore=("RELATED: ", 0.5, "end"),
         footer=[("Sign up for our morning briefing and get the day's top Northfield stories in your inbox before 7 a.m.", 0.75),
                 ("© 2026 Northfield Courier. All rights reserved.", 0.95)],
         caption=(0.3, " (Photo: {agency})"),
         numbers=(0.9, dict(mln="million", bln="billion", pct="percent", dlrs="dollars", digits="words")),
         title=0.2, strip_dateline=0.1,
         weights=dict(wpi=4, cna=3, pacpress=1, meridian=1)),
    dict(slug="metroledger", name="Metro Ledger", domain="metroledger.example",
         town="Carrick Falls", tz=-300, datefmt="iso", human="ledger",
         url="https://www.{d}/business-world/{slug}/",
         header=[("Metro Ledger Staff and Wire Reports", 0.8), ("{human}", 0.7), ("{mins} min read", 0.5)],
         ad=("Advertisement", 2, 2, 0.5),
         readmore=("Read more: ", 0.45, "mid"),
         footer=[("Copyright 2026 Metro Ledger. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.", 0.9)],
         caption=(0.35, ""),
         numbers=(0.7, dict(mln="million", bln="billion", pct="%", dlrs="dollars", digits=None)),
         title=0.1, strip_dateline=0.0,
         weights=dict(wpi=3, cna=4, pacpress=1, meridian=2)),
    dict(slug="lakesidesentinel", name="The Lakeside Sentinel", domain="lakesidesentinel.example",
         town="Lakeside", tz=-360, datefmt="iso", human="sentinel",
         url="https://{d}/news/national-world/{slug}",
         header=[("By Staff Writer", 0.7), ("{human}", 0.85)],
         ad=("Story continues below advertisement", 3, 4, 0.0),
         readmore=("ALSO READ: ", 0.4, "mid"),
         footer=[("Get the Sentinel Daily newsletter: the news that matters to Lakeside, every weekday morning. Sign up now.", 0.8),
                 ("© 2026 The Lakeside Sentinel", 0.8)],
         caption=(0.25, ""),
         numbers=(0.8, dict(mln="million", bln="billion", pct="percent", dlrs="dollars", digits=None)),
         title=0.3, strip_dateline=0.2,
         weights=dict(wpi=4, cna=2, pacpress=1, meridian=1)),
    dict(slug="ashbytribune", name="Ashby Evening Tribune", domain="ashbytribune.example",
         town="Ashby", tz=0, datefmt="rfc", human="tribune",
         url="https://www.{d}/news/{n}/{slug}/",
         header=[("{human}", 0.9), ("From {agency}", 0.6)],
         ad=("Advertisement", 2, 3, 0.3),
         readmore=("Read more: ", 0.5, "end"),
         footer=[("Want more from the Tribune? Sign up for our free evening briefing.", 0.7),
                 ("© 2026 Ashby Evening Tribune. All rights reserved.", 0.9)],
         caption=(0.35, ""),
         numbers=(0.6, dict(mln="million", bln="billion", pct="per cent", dlrs="dollars", digits="words")),
         title=0.2, strip_dateline=0.0,
         weights=dict(wpi=4, cna=3, pacpress=2, meridian=2)),
    dict(slug="coastalobserver", name="The Coastal Observer", domain="coastalobserver.example",
         town="Wollert Bay", tz=660, datefmt="iso", human="observer",
         url="https://{d}/world/{slug}-{n}",
         header=[("{agency}", 0.6), ("{human}", 0.9), ("{mins} min read", 0.9)],
         ad=("Advertisement", 2, 2, 0.2),
         readmore=("Read more: ", 0.55, "mid"),
         footer=[("Add The Coastal Observer as a preferred source to see more of our stories on Google.", 0.85),
                 ("Start your day informed. Sign up for our Morning Edition newsletter.", 0.6)],
         caption=(0.45, " Credit: {agency}"),
         numbers=(0.8, dict(mln="million", bln="billion", pct="per cent", dlrs="dollars", digits=None)),
         title=0.15, strip_dateline=0.0,
         weights=dict(wpi=2, cna=1, pacpress=5, meridian=2)),
    dict(slug="southerncrossherald", name="Southern Cross Herald", domain="southerncrossherald.example",
         town="Merrivale", tz=660, datefmt="iso", human="herald",
         url="https://www.{d}/national/{slug}-{y}{m}{dd}-p{n}.html",
         header=[("By Herald staff with {agency}", 0.7), ("{human}", 0.85)],
         ad=("ADVERTISEMENT", 2, 3, 0.4),
         readmore=("MORE: ", 0.45, "end"),
         footer=[("© 2026 Southern Cross Herald. All rights reserved.", 0.9)],
         caption=(0.3, ""),
         numbers=(0.85, dict(mln="million", bln="billion", pct="per cent", dlrs="dollars", digits="digits")),
         title=0.1, strip_dateline=0.3,
         weights=dict(wpi=2, cna=1, pacpress=5, meridian=1)),
    dict(slug="tasmandaily", name="Tasman Daily", domain="tasmandaily.example",
         town="Kaiwaka", tz=780, datefmt="iso", human="tasman",
         url="https://{d}/news/{slug}/",
         header=[("{agency}{agency}", 0.6), ("{human}", 0.8), ("{mins} min read", 0.6)],
         ad=("Advertisement", 3, 3, 0.3),
         readmore=("Read more: ", 0.5, "mid"),
         footer=[("Add Tasman Daily as a preferred source to see more of our stories on Google.", 0.8)],
         caption=(0.4, ""),
         numbers=(0.7, dict(mln="million", bln="billion", pct="per cent", dlrs="dollars", digits=None)),
         title=0.2, strip_dateline=0.0,
         weights=dict(wpi=2, cna=1, pacpress=5, meridian=1)),
    dict(slug="rhinevalleypost", name="Rhine Valley Post", domain="rhinevalleypost.example",
         town="Wendlingen", tz=60, datefmt="iso", human="rhine",
         url="https://www.{d}/international/{y}-{m}-{dd}/{slug}",
         header=[("{human}", 0.9), ("By Rhine Valley Post staff", 0.5)],
         ad=("Advertisement", 2, 3, 0.0),
         readmore=("Read more: ", 0.6, "mid"),
         footer=[("Our weekday newsletter, The Valley at Seven, brings you the news before your first coffee. Subscribe for free.", 0.7),
                 ("© 2026 Rhine Valley Post GmbH. All rights reserved.", 0.85)],
         caption=(0.3, " (Photo: {agency})"),
         numbers=(0.75, dict(mln="million", bln="billion", pct="percent", dlrs="dollars", digits=None)),
         title=0.2, strip_dateline=0.1,
         weights=dict(wpi=4, cna=4, pacpress=1, meridian=1)),
    dict(slug="balticmorning", name="Baltic Morning", domain="balticmorning.example",
         town="Valmiera", tz=120, datefmt="iso", human="baltic",
         url="https://{d}/en/world/{n}-{slug}",
         header=[("{agency}", 0.8), ("{human}", 0.75), ("{mins} min read", 0.7)],
         ad=("Advertisement", 3, 4, 0.0),
         readmore=("See also: ", 0.45, "end"),
         footer=[("© 2026 Baltic Morning. All rights reserved.", 0.85)],
         caption=(0.25, ""),
         numbers=(0.5, dict(mln="million", bln="billion", pct="%", dlrs="dollars", digits=None)),
         title=0.35, strip_dateline=0.0,
         weights=dict(wpi=4, cna=4, pacpress=1, meridian=1)),
    dict(slug="eastmeregazette", name="Eastmere Gazette", domain="eastmeregazette.example",
         town="Eastmere", tz=0, datefmt="iso", human="gazette",
         url="https://www.{d}/news/world-news/{slug}-{n}",
         header=[("By Gazette Reporter", 0.6), ("{human}", 0.85), ("{mins} min read", 0.4)],
         ad=("Advertisement", 2, 2, 0.35),
         readmore=("READ MORE: ", 0.65, "mid"),
         footer=[("Sign up for our morning briefing to get the biggest stories from Eastmere and beyond, free to your inbox.", 0.8),
                 ("© 2026 Eastmere Gazette. All rights reserved.", 0.7)],
         caption=(0.4, ""),
         numbers=(0.8, dict(mln="million", bln="billion", pct="per cent", dlrs="dollars", digits="words")),
         title=0.1, strip_dateline=0.15,
         weights=dict(wpi=4, cna=3, pacpress=2, meridian=2)),
    dict(slug="prairietimes", name="Prairie Times-Dispatch", domain="prairietimes.example",
         town="Wheaton Springs", tz=-360, datefmt="iso", human="prairie",
         url="https://{d}/news/nation-world/article_{n}.html",
         header=[("By {agency}", 0.85), ("{human}", 0.8)],
         ad=("Advertisement", 3, 3, 0.0),
         readmore=("RELATED: ", 0.4, "end"),
         footer=[("© 2026 Prairie Times-Dispatch. All rights reserved.", 0.9),
                 ("Get local news delivered to your inbox! Sign up for the Times-Dispatch Morning Report.", 0.6)],
         caption=(0.3, ""),
         numbers=(0.85, dict(mln="million", bln="billion", pct="percent", dlrs="dollars", digits="words")),
         title=0.25, strip_dateline=0.0,
         weights=dict(wpi=4, cna=3, pacpress=1, meridian=2)),
    dict(slug="harborviewnews", name="Harborview News Online", domain="harborviewnews.example",
         town="Harborview", tz=0, datefmt="iso", human="yahoo",
         url="https://news.{d}/{slug}-{n}.html",
         header=[("{agency}{agency}", 0.9), ("{human}", 0.95), ("{mins} min read", 0.9)],
         ad=None,
         readmore=("Read more: ", 0.3, "mid"),
         footer=[],
         caption=(0.5, ""),
         numbers=(0.0, None),
         title=0.6, strip_dateline=0.0,
         weights=dict(wpi=4, cna=4, pacpress=3, meridian=3)),
    dict(slug="iberiandigest", name="Iberian Digest", domain="iberiandigest.example",
         town="Castro Alto", tz=60, datefmt="rfc", human="iberian",
         url="https://www.{d}/en/{y}/{m}/{dd}/{slug}",
         header=[("{human}", 0.8), ("Iberian Digest / {agency}", 0.6)],
         ad=("Advertisement", 2, 3, 0.2),
         readmore=("Read more: ", 0.5, "mid"),
         footer=[("Sign up for our morning briefing in English, delivered daily from Madrid and Lisbon.", 0.7),
                 ("© 2026 Iberian Digest. All rights reserved.", 0.8)],
         caption=(0.3, ""),
         numbers=(0.7, dict(mln="million", bln="billion", pct="%", dlrs="dollars", digits=None)),
         title=0.2, strip_dateline=0.1,
         weights=dict(wpi=3, cna=5, pacpress=1, meridian=2)),
    dict(slug="globalbrief", name="The Global Brief", domain="globalbrief.example",
         town="Kingsbridge", tz=0, datefmt="iso", human="brief",
         url="https://{d}/stories/{y}/{m}/{slug}",
         header=[("{mins} min read", 0.9), ("{human}", 0.7)],
         ad=("Advertisement", 2, 3, 0.1),
         readmore=("Read more: ", 0.7, "mid"),
         footer=[("Add The Global Brief as a preferred source to see more of our stories on Google.", 0.75),
                 ("© 2026 The Global Brief. All rights reserved.", 0.75)],
         caption=(0.35, ""),
         numbers=(0.6, dict(mln="million", bln="billion", pct="percent", dlrs="dollars", digits=None)),
         title=0.15, strip_dateline=0.05,
         weights=dict(wpi=3, cna=3, pacpress=3, meridian=3)),
]
OUTLET_BY_SLUG = {o["slug"]: o for o in OUTLETS}

TOPICS = dict(
    s01="politics", s02="business", s03="courts", s04="science", s05="disaster",
    s06="sport", s07="health", s08="business", s09="politics", s10="courts",
    s11="science", s12="disaster", s13="health", s14="business", s15="politics",
    s16="labour", s17="disaster", s18="business", s19="culture", s20="sport",
    s21="economy", s22="courts", s23="transport", s24="health", s25="economy",
    s26="energy", s27="politics", s28="disaster", s29="science", s30="business",
    s31="crime", s32="labour", s33="sport", s34="disaster", s35="politics",
    s36="business", s37="health", s38="courts", s39="disaster", s40="science",
    s41="economy", s42="culture",
)

LOCAL = {
    "politics": ["Local officials in {town} said they would ask their representatives for a briefing on what the decision means for projects in the area.",
                 "Local officials in {town} said the outcome was being watched closely by residents, many of whom have family ties to the region."],
    "business": ["Local officials in {town}, where the company employs about {n} people, said they had received no indication that local jobs were affected.",
                 "Local officials in {town} said they had contacted the company to ask about its plans for the area."],
    "courts": ["Local officials in {town} said they were studying whether the ruling could affect similar cases in the county."],
    "science": ["Local officials in {town} said researchers from the region's university had contributed to earlier work in the same field."],
    "disaster": ["Local officials in {town} said a collection point for donations had been opened at the town hall and that residents with relatives in the affected area could contact the council for help.",
                 "Local officials in {town} said volunteers from the area had offered to travel to the region to help with the clean-up."],
    "sport": ["Local officials in {town} said the news had been followed closely in the area, where the sport has a large and loyal following."],
    "health": ["Local officials in {town} said the county health department would answer questions from residents through its usual helpline.",
               "Local officials in {town} said there were no related cases in the area and urged residents to follow official advice."],
    "labour": ["Local officials in {town} said businesses in the area that rely on imports had been warned to expect delays."],
    "economy": ["Local officials in {town} said household budgets in the area were already stretched by higher rents and heating costs."],
    "transport": ["Local officials in {town} said residents travelling to the region should allow extra time and check updates before setting off."],
    "energy": ["Local officials in {town} said the project could bring supply contracts to firms in the area."],
    "culture": ["Local officials in {town} said the local library would hold an exhibition to mark the occasion."],
    "crime": ["Local officials in {town} said police in the area were not involved in the operation."],
}

NUMWORDS = {"2": "two", "3": "three", "4": "four", "5": "five", "6": "six",
            "7": "seven", "8": "eight", "9": "nine"}
WORDNUMS = {v: k for k, v in NUMWORDS.items()}
MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]
MON3 = [m[:3] for m in MONTHS]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
def parse_time(s):
    return dt.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def fmt_date(t, outlet_tz, kind):
    tz = dt.timezone(dt.timedelta(minutes=outlet_tz))
    lt = t.astimezone(tz)
    if kind == "rfc":
        return email.utils.format_datetime(lt)
    s = lt.strftime("%Y-%m-%dT%H:%M:%S")
    if outlet_tz == 0:
        return s + "Z"
    sign = "+" if outlet_tz > 0 else "-"
    m = abs(outlet_tz)
    return "%s%s%02d:%02d" % (s, sign, m // 60, m % 60)


def h12(lt):
    h = lt.hour % 12 or 12
    return "%d:%02d %s" % (h, lt.minute, "AM" if lt.hour < 12 else "PM")


def human_date(t, outlet):
    tz = dt.timezone(dt.timedelta(minutes=outlet["tz"]))
    lt = t.astimezone(tz)
    wd = DAYS[lt.weekday()]
    mon = MONTHS[lt.month - 1]
    style = outlet["human"]
    zone = {0: "UTC", -300: "EST", -360: "CST", 60: "CET", 120: "EET", 660: "AEDT", 780: "NZDT"}[outlet["tz"]]
    if style == "yahoo":
        return "%s, %s %d, %d at %s %s" % (wd[:3], mon, lt.day, lt.year, h12(lt), zone)
    if style == "courier":
        ap = h12(lt).lower().replace("am", "a.m.").replace("pm", "p.m.")
        return "Published %s %d, %d %s ET" % (mon, lt.day, lt.year, ap)
    if style == "ledger":
        return "Updated %s %d, %d, %s %s" % (mon, lt.day, lt.year, h12(lt), zone)
    if style == "sentinel":
        return "Posted %d/%d/%d %s" % (lt.month, lt.day, lt.year, h12(lt))
    if style == "tribune":
        return "%s %d %s %d, %02d:%02d" % (wd, lt.day, mon, lt.year, lt.hour, lt.minute)
    if style == "observer":
        return "%s %d, %d — %s" % (mon, lt.day, lt.year, h12(lt).lower())
    if style == "herald":
        return "%s %d %s %d — %d.%02d%s" % (wd[:3], lt.day, mon, lt.year, lt.hour % 12 or 12, lt.minute,
                                              "pm" if lt.hour >= 12 else "am")
    if style == "tasman":
        return "%d %s %d, %s" % (lt.day, mon[:3], lt.year, h12(lt).lower())
    if style == "rhine":
        return "%02d.%02d.%d, %02d:%02d %s" % (lt.day, lt.month, lt.year, lt.hour, lt.minute, zone)
    if style == "baltic":
        return "%s, %d %s %d %02d:%02d" % (wd, lt.day, mon, lt.year, lt.hour, lt.minute)
    if style == "gazette":
        return "%02d:%02d, %d %s %d" % (lt.hour, lt.minute, lt.day, mon[:3], lt.year)
    if style == "prairie":
        return "%s %d, %d Updated %s" % (mon[:3], lt.day, lt.year, h12(lt))
    if style == "iberian":
        return "%d %s %d - %02d:%02d CET" % (lt.day, mon, lt.year, lt.hour, lt.minute)
    if style == "brief":
        return "%s %d, %d" % (mon, lt.day, lt.year)
    raise ValueError(style)


def slugify(title):
    s = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return "-".join(s.split("-")[:9])


def make_url(tmpl, domain, t, title, rng):
    return tmpl.format(d=domain, y=t.year, m="%02d" % t.month, dd="%02d" % t.day,
                       slug=slugify(title), n=rng.randint(100000, 9999999))


def read_story(path):
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    head, body = raw.split("\n---\n", 1)
    meta = {}
    for line in head.strip().splitlines():
        k, v = line.split(":", 1)
        meta[k.strip()] = v.strip()
    alt = None
    if "\n--- alt lead ---\n" in body:
        body, alt = body.split("\n--- alt lead ---\n", 1)
        alt = alt.strip()
    paras = [p.strip() for p in body.strip().split("\n\n") if p.strip()]
    meta["paras"] = paras
    meta["alt"] = alt
    meta["headlines"] = [h.strip() for h in meta.get("headlines", "").split("|") if h.strip()]
    if "spell" in meta:
        a, b = meta["spell"].split("=")
        meta["spell"] = (a.strip(), b.strip())
    meta["time"] = parse_time(meta["time"])
    return meta


# ---------------------------------------------------------------------------
# Text edits
# ---------------------------------------------------------------------------
def number_style(text, style):
    if not style:
        return text
    text = re.sub(r"(\d (?:mln |bln |million |billion )?)dlrs\b", lambda m: m.group(1) + style["dlrs"], text)
    text = re.sub(r"(\d (?:mln |bln |million |billion )?)dlr\b", lambda m: m.group(1) + "dollar", text)
    text = re.sub(r"(?<=\d) mln\b", " " + style["mln"], text)
    text = re.sub(r"(?<=\d) bln\b", " " + style["bln"], text)
    if style["pct"] == "%":
        text = re.sub(r"(?<=\d) pct\b", "%", text)
    else:
        text = re.sub(r"(?<=\d) pct\b", " " + style["pct"], text)
    if style["digits"] == "words":
        text = re.sub(r"(?<![\d.,:/-])\b([2-9])\b(?![\d.,:/-])(?= (?!a\.m|p\.m|pct|per|percent|mln|bln)[a-z])",
                      lambda m: NUMWORDS[m.group(1)], text)
    elif style["digits"] == "digits":
        text = re.sub(r"\b(two|three|four|five|six|seven|eight|nine)\b(?= [a-z])",
                      lambda m: WORDNUMS[m.group(1)], text)
    return text


def typo(word, rng):
    i = rng.randint(1, len(word) - 3)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + word[i + 1:]


def add_typos(paras, rng, k):
    paras = list(paras)
    for _ in range(k):
        pi = rng.randrange(len(paras))
        words = paras[pi].split(" ")
        cand = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha() and i > 3]
        if not cand:
            continue
        wi = rng.choice(cand)
        words[wi] = typo(words[wi], rng)
        paras[pi] = " ".join(words)
    return paras


def respell(paras, spell, rng, everywhere):
    a, b = spell
    out = []
    for p in paras:
        if everywhere:
            out.append(p.replace(a, b))
        else:
            # change some occurrences only -> name spelled two ways in one copy
            parts = p.split(a)
            s = parts[0]
            for rest in parts[1:]:
                s += (b if rng.random() < 0.5 else a) + rest
            out.append(s)
    return out


def strip_dateline(p):
    # "BERLIN (Wire Press) - x" -> "BERLIN - x"; "OSLO, March 2 (CNA) - x" -> "OSLO - x"
    return re.sub(r"^([A-Z][A-Z .'-]+?)(, [A-Za-z]+)?(, [A-Z][a-z]+ \d+)? \([^)]*\) ?(-|--|—) ",
                  lambda m: m.group(1) + (m.group(2) or "") + " - ", p, count=1)


# ---------------------------------------------------------------------------
# Rendering an outlet copy with its template lines
# ---------------------------------------------------------------------------
def render(core, outlet, agency_name, t, rng, caption, readmore_title, leaked=None):
    words = sum(len(p.split()) for p in core)
    mins = max(1, round(words / 200.0 + rng.choice([0, 0, 1])))
    fill = dict(agency=agency_name, outlet=outlet["name"], mins=mins, human=human_date(t, outlet))
    lines = []
    for tmpl, p in outlet["header"]:
        if rng.random() < p:
            lines.append(tmpl.format(**fill))
    body = []
    cap_at = None
    if caption and rng.random() < outlet["caption"][0]:
        cap = caption + outlet["caption"][1].format(**fill)
        cap_at = 0 if rng.random() < 0.4 else 1
        tally("photo caption printed twice")
    rm_line = None
    rm_where = None
    if readmore_title and rng.random() < outlet["readmore"][1]:
        rm_line = outlet["readmore"][0] + readmore_title
        rm_where = outlet["readmore"][2]
    ad = outlet["ad"]
    next_ad = rng.randint(ad[1], ad[2]) if ad else None
    rm_mid_at = rng.randint(2, max(2, len(core) - 1)) if rm_where == "mid" else None
    for i, p in enumerate(core):
        if cap_at == i:
            body += [cap, cap]
        body.append(p)
        if i == len(core) - 1:
            break
        if rm_mid_at == i + 1:
            body.append(rm_line)
        if ad and i + 1 >= next_ad:
            body.append(ad[0])
            if rng.random() < ad[3]:
                body.append(ad[0])
            next_ad = i + 1 + rng.randint(ad[1], ad[2])
    if leaked:
        body.insert(rng.randint(1, len(body)), leaked)
    if rm_where == "end":
        body.append(rm_line)
    for tmpl, p in outlet["footer"]:
        if rng.random() < p:
            body.append(tmpl.format(**fill))
    return "\n\n".join(lines + body)


def choose_title(story, outlet, rng, used):
    if rng.random() < outlet["title"] or not story["headlines"]:
        return story["title"]
    opts = [h for h in story["headlines"] if h not in used] or story["headlines"]
    return rng.choice(opts)


def reprint_times(t0, n, rng):
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.55:
            m = rng.randint(4, 180)
        elif r < 0.85:
            m = rng.randint(180, 720)
        else:
            m = rng.randint(720, 2880)
        out.append(t0 + dt.timedelta(minutes=m))
    return sorted(out)


def pick_outlets(agency, n, rng):
    pool = [o for o in OUTLETS]
    chosen = []
    for _ in range(n):
        w = [o["weights"][agency] for o in pool]
        o = rng.choices(pool, weights=w)[0]
        chosen.append(o)
        pool.remove(o)
    return chosen


def build_story_family(story, kind, n_reprints, rng, all_titles, articles, truth, content_edits=True):
    """Origin + reprints for one story.  kind: 'wire' | 'twin' | 'templated'."""
    sid = story["id"]
    ag = AGENCIES[story["agency"]]
    origin_id = "%s-%s" % (sid, story["agency"])
    t0 = story["time"]
    origin = dict(id=origin_id, outlet=ag["name"], date=fmt_date(t0, 0, "iso"),
                  title=story["title"], url=make_url(ag["url"], ag["domain"], t0, story["title"], rng),
                  text="\n\n".join(story["paras"]))
    articles.append(dict(origin, _t=t0))
    truth.append((origin_id, sid, ""))
    # state of each published copy: (id, time, core paragraphs, flags, outlet)
    pubs = [dict(id=origin_id, t=t0, core=list(story["paras"]), lead_alt=False, outlet=None)]
    times = reprint_times(t0, n_reprints, rng)
    outlets = pick_outlets(story["agency"], n_reprints, rng)
    used_titles = set()
    for t, outlet in zip(times, outlets):
        earlier = [p for p in pubs if p["t"] < t - dt.timedelta(minutes=2)]
        reprints = [p for p in earlier if p["outlet"] is not None]
        if reprints and rng.random() < 0.35:
            src = rng.choice(reprints[-3:])
        else:
            src = pubs[0]
        core = list(src["core"])
        lead_alt = src["lead_alt"]
        leaked = None
        if content_edits:
            if story.get("alt") and not lead_alt and rng.random() < 0.35:
                core[0] = story["alt"]
                lead_alt = True
                tally("reworded lead")
            # trim from the bottom; fractions are of the ORIGINAL length so
            # that trims along a copy chain do not compound into nothing
            n_orig = len(story["paras"])
            r = rng.random()
            if r < 0.5:
                core = core[:max(3, int(round(n_orig * rng.uniform(0.5, 0.9))))]
                tally("trimmed ending (50-90%)")
            elif r < 0.57:
                core = core[:max(2, int(round(n_orig * rng.uniform(0.3, 0.5))))]
                tally("heavy trim to a brief (30-50%)")
            if len(core) >= 3 and rng.random() < 0.18:
                topic = TOPICS.get(story.get("twin") or sid, "politics")
                loc = rng.choice(LOCAL[topic]).format(town=outlet["town"], n=rng.choice([120, 240, 400, 650]))
                core.insert(rng.randint(max(2, len(core) - 2), len(core)), loc)
                tally("local paragraph added")
            if story.get("spell") and rng.random() < 0.25:
                core = respell(core, story["spell"], rng, rng.random() < 0.5)
                tally("name spelled differently")
            if rng.random() < 0.22:
                core = add_typos(core, rng, rng.randint(1, 3))
                tally("typos")
            if src["outlet"] is not None and rng.random() < 0.2:
                # copy of a copy: one template line of the intermediary leaks through
                so = src["outlet"]
                leaked = rng.choice([so["name"] + " — " + ag["name"],
                                     (so["ad"][0] if so["ad"] else "Advertisement")])
                tally("intermediary template line leaked")
        else:
            r = rng.random()
            if r < 0.25 and len(core) > 4:
                core = core[:max(4, int(len(core) * rng.uniform(0.6, 0.9)))]
        if outlet["numbers"][1] and rng.random() < outlet["numbers"][0]:
            new = [number_style(p, outlet["numbers"][1]) for p in core]
            if new != core:
                tally("number style rewritten")
            core = new
        if rng.random() < outlet["strip_dateline"]:
            core[0] = strip_dateline(core[0])
            tally("agency credit stripped from dateline")
        title = choose_title(story, outlet, rng, used_titles)
        used_titles.add(title)
        tally("own headline" if title != story["title"] else "agency headline kept")
        tally("reprint of a reprint" if src["outlet"] is not None else "reprint of the origin")
        rm_pool = [x for x in all_titles if x[0] != sid and x[2] < t - dt.timedelta(minutes=30)]
        rm = rng.choice(rm_pool)[1] if rm_pool else None
        text = render(core, outlet, ag["name"], t, rng, story.get("caption"), rm, leaked)
        aid = "%s-%s" % (sid, outlet["slug"])
        lt = t.astimezone(dt.timezone(dt.timedelta(minutes=outlet["tz"])))
        art = dict(id=aid, outlet=outlet["name"], date=fmt_date(t, outlet["tz"], outlet["datefmt"]),
                   title=title, url=make_url(outlet["url"], outlet["domain"], lt, title, rng),
                   text=text, _t=t)
        articles.append(art)
        truth.append((aid, sid, src["id"]))
        pubs.append(dict(id=aid, t=t, core=core, lead_alt=lead_alt, outlet=outlet))


# ---------------------------------------------------------------------------
# Templated distractors
# ---------------------------------------------------------------------------
def d(day, hh, mm):
    return dt.datetime(2026, 3, day, hh, mm, tzinfo=UTC)


def wd(t):
    return DAYS[t.weekday()]


def fmt_num(x):
    return "{:,}".format(x)


def earnings(rng):
    cos = [
        ("Brannock Tool Corp", "BRNK", "CHICAGO", "4th qtr", "Qtr ended Dec 31"),
        ("Oakhurst Dairy Holdings Inc", "OKD", "MINNEAPOLIS", "4th qtr", "Qtr ended Dec 31"),
        ("Pellham Instruments Inc", "PLM", "BOSTON", "1st qtr", "Qtr ended Jan 31"),
        ("Greyfield Bancorp", "GFB", "HARTFORD", "4th qtr", "Qtr ended Dec 31"),
        ("Tamsworth Freight Lines Inc", "TFL", "DALLAS", "4th qtr", "Qtr ended Dec 31"),
        ("Cobalt Ridge Mining Ltd", "CRM", "TORONTO", "year", "Year ended Dec 31"),
        ("Wexley Foods Inc", "WXF", "ATLANTA", "3rd qtr", "Qtr ended Feb 1"),
        ("Harrowgate Software Inc", "HGS", "SEATTLE", "2nd qtr", "Qtr ended Jan 31"),
    ]
    notes = [
        "NOTE: Prior year net includes gain of {a} dlrs, or {b} cts per share, from sale of property.",
        "NOTE: Current qtr net includes pretax charge of {m} mln dlrs for plant closing.",
        "NOTE: Results restated for discontinued operations.",
        "NOTE: Per share data adjusted for two-for-one stock split paid in January.",
        "NOTE: Net includes tax credits of {a} dlrs vs {a2} dlrs.",
        "NOTE: Company said backlog at quarter end was {m} mln dlrs vs {m2} mln dlrs.",
    ]
    out = []
    for i, (name, tick, city, period, ended) in enumerate(cos):
        t = d(2 + i + (i // 4), rng.randint(12, 21), rng.choice([0, 5, 15, 30, 41, 52]))
        loss = rng.random() < 0.2
        s1 = rng.randint(4, 95)
        n1 = rng.randint(800, 45000) * 1000
        n0 = int(n1 * rng.uniform(0.7, 1.25)) // 1000 * 1000
        s0 = max(1, int(round(s1 * n0 / float(n1) * rng.uniform(0.95, 1.05))))
        r1 = rng.randint(300, 9000) / 10.0
        r0 = round(r1 * rng.uniform(0.8, 1.15), 1)

        def shr(c):
            return ("%d cts" % c) if c < 100 else ("%.2f dlrs" % (c / 100.0))

        def money(x):
            return ("%.1f mln" % (x / 1e6)) if x >= 1e7 else fmt_num(x)
        lines = ["%s, March %d (CNA) - %s" % (city, t.day, ended)]
        if loss:
            lines.append("Shr loss %d cts vs profit %d cts" % (s1, s0))
            lines.append("Net loss %s vs profit %s" % (money(n1), money(n0)))
        else:
            lines.append("Shr %d cts vs %d cts" % (s1, s0))
            lines.append("Net %s vs %s" % (money(n1), money(n0)))
        lines.append("Revs %.1f mln vs %.1f mln" % (r1, r0))
        if period not in ("year", "1st qtr") and rng.random() < 0.6:
            lbl = {"4th qtr": "Year", "3rd qtr": "Nine mths", "2nd qtr": "Six mths"}[period]
            k = {"Year": 4, "Nine mths": 3, "Six mths": 2}[lbl]
            lines.append(lbl)
            lines.append("Shr %s vs %s" % (shr(s1 * k + rng.randint(-9, 9)), shr(s0 * k + rng.randint(-9, 9))))
            lines.append("Net %s vs %s" % (money(n1 * k + rng.randint(1, 900) * 1000), money(n0 * k + rng.randint(1, 900) * 1000)))
            lines.append("Revs %s mln vs %s mln" % ("{:,.1f}".format(r1 * k + rng.randint(1, 90)), "{:,.1f}".format(r0 * k + rng.randint(1, 90))))
        if rng.random() < 0.7:
            lines.append(rng.choice(notes).format(a=fmt_num(rng.randint(100, 3000) * 1000), a2=fmt_num(rng.randint(100, 3000) * 1000),
                                                  b=rng.randint(1, 9), m=rng.randint(1, 9), m2=rng.randint(2, 90)))
        title = "%s <%s> %s net" % (name, tick, period)
        out.append(dict(agency="cna", time=t, title=title, paras=lines, headlines=[
            "%s reports %s results" % (name, period.replace("qtr", "quarter")),
            "%s posts %s %s" % (name.split(" Inc")[0].split(" Corp")[0], period.replace("qtr", "quarter"), "loss" if loss else "earnings")],
            caption=None, alt=None, topic="business"))
    return out


TEAMS = ["Coastal United", "Harbour City", "Western Rangers", "Northbank Athletic",
         "Riverside FC", "Eastport Wanderers", "Kingsford City", "Bayview Rovers"]
PLAYERS = {
    "Coastal United": ["Nico Brandt", "Sam Okoro", "Joel Fraser", "Tomasz Lis"],
    "Harbour City": ["Ryan Keane", "Jae-won Park", "Luca Ferri", "Oscar Lindholm"],
    "Western Rangers": ["Aiden Walsh", "Kofi Mensah", "Diego Salas", "Ben Huxley"],
    "Northbank Athletic": ["Marcus Doyle", "Yusuf Demir", "Callum Reid", "Tevita Moala"],
    "Riverside FC": ["Jonah Price", "Matteo Rossi", "Kieran Boyd", "Hamza Aziz"],
    "Eastport Wanderers": ["Lachlan Moore", "Sione Taufa", "Ivan Petrov", "Noah Clarke"],
    "Kingsford City": ["Ethan Brooks", "Rafael Costa", "Daniel Kerr", "Ali Haddad"],
    "Bayview Rovers": ["Zac Turner", "Min-jun Lee", "Patrick O'Neill", "Samir Khalil"],
}


def sports(rng):
    fixtures = [("Coastal United", "Harbour City", 4, 0, d(7, 8, 55)),
                ("Western Rangers", "Riverside FC", 2, 1, d(7, 9, 5)),
                ("Kingsford City", "Bayview Rovers", 3, 1, d(7, 10, 40)),
                ("Northbank Athletic", "Eastport Wanderers", 1, 0, d(8, 7, 50)),
                ("Riverside FC", "Kingsford City", 2, 2, d(14, 8, 45)),
                ("Harbour City", "Western Rangers", 1, 3, d(14, 9, 10)),
                ("Bayview Rovers", "Coastal United", 0, 2, d(15, 6, 30))]
    verbs = ["beat", "defeated", "edged", "overcame"]
    out = []
    for home, away, hg, ag, t in fixtures:
        day = wd(t + dt.timedelta(hours=11))  # local (Sydney) day of the match
        if hg == ag:
            lead = "%s and %s drew %d-%d in the A-Division on %s." % (home, away, hg, ag, day)
            title = "Soccer-%s draw %d-%d with %s" % (home, hg, ag, away)
        else:
            w, l, wg, lg = (home, away, hg, ag) if hg > ag else (away, home, ag, hg)
            lead = "%s %s %s %d-%d in the A-Division on %s." % (w, rng.choice(verbs), l, wg, lg, day)
            title = "Soccer-%s beat %s %d-%d" % (w, l, wg, lg)

        half = {}

        def scorers(team, g):
            if g == 0:
                half[team] = 0
                return "%s - none" % team
            mins = sorted(rng.sample(range(3, 90), g))
            half[team] = sum(1 for m in mins if m <= 45)
            goals = {}
            for m in mins:
                goals.setdefault(rng.choice(PLAYERS[team]), []).append(str(m))
            return "%s - %s" % (team, ", ".join("%s %s" % (pl, ", ".join(ms)) for pl, ms in goals.items()))
        paras = ["SYDNEY (Pacific Press) -- " + lead,
                 "Scorers:", scorers(home, hg), scorers(away, ag),
                 "Halftime: %d-%d" % (half[home], half[away]),
                 "Attendance: %s" % fmt_num(rng.randint(6000, 24000))]
        if rng.random() < 0.7:
            paras.append("%s are %s in the table with %d points after %d matches." %
                         (rng.choice([home, away]), rng.choice(["third", "fifth", "sixth", "second", "seventh"]),
                          rng.randint(22, 38), rng.randint(18, 21)))
        out.append(dict(agency="pacpress", time=t, title=title, paras=paras,
                        headlines=["%s %d %s %d" % (home, hg, away, ag), "A-Division result: %s v %s" % (home, away)],
                        caption=None, alt=None, topic="sport"))
    return out


def weather(rng):
    skies = ["Mostly cloudy with showers spreading from the west in the afternoon",
             "Sunny spells and a brisk northerly breeze",
             "Rain at times, heavy in the hills, easing overnight",
             "Cold and clear with a widespread frost early, then bright sunshine",
             "Overcast with patchy drizzle and mist along the coast",
             "Dry and mild with long sunny periods"]
    out = []
    for i, day in enumerate([3, 5, 8, 10, 12]):
        t = d(day, 5, rng.choice([0, 10, 15, 30]))
        hi, lo = rng.randint(6, 15), rng.randint(-3, 6)
        paras = ["LONDON (Wire Press) - Weather forecast for %s, March %d:" % (wd(t), day),
                 "NORTHERN REGIONS: %s. High %d C, low %d C. Winds %s %d to %d km/h." %
                 (rng.choice(skies), hi - 3, lo - 2, rng.choice(["west", "north-west", "south-west", "north"]), rng.randint(10, 25), rng.randint(30, 55)),
                 "CENTRAL REGIONS: %s. High %d C, low %d C." % (rng.choice(skies), hi, lo),
                 "SOUTHERN REGIONS: %s. High %d C, low %d C." % (rng.choice(skies), hi + 2, lo + 2),
                 "OUTLOOK: %s." % rng.choice(["Turning colder at the weekend with a risk of sleet on high ground",
                                              "Unsettled, with further bands of rain crossing from the Atlantic",
                                              "High pressure building, bringing drier and brighter weather",
                                              "Remaining changeable with temperatures close to normal for March"])]
        out.append(dict(agency="wpi", time=t, title="Weather forecast for %s, March %d" % (wd(t), day), paras=paras,
                        headlines=["Today's weather: %s, March %d" % (wd(t), day), "Forecast: %s" % paras[2].split(".")[0].split(": ")[1]],
                        caption=None, alt=None, topic="weather"))
    return out


def market_close(rng):
    movers = [(2, "Halvorsen Maritime", -14.2, "after the shipping group cut its profit forecast"),
              (4, "Skylark Airways", 33.1, "after Nordavia agreed to buy the airline"),
              (5, "Veltrane", 7.0, "after European regulators approved its migraine drug"),
              (6, "Telvanta", -3.1, "after the telecoms group disclosed a data breach"),
              (9, "Rheinufer Bank", 1.9, "as higher inflation data lifted bank shares"),
              (11, "Nordlys Energi", 2.4, "a day after its North Sea wind farm was approved")]
    sectors = ["mining", "banking", "technology", "energy", "utility", "retail", "healthcare", "telecoms"]
    out = []
    for day, co, chg, why in movers:
        t = d(day, 16, rng.choice([35, 40, 45, 50]))
        up = rng.random() < 0.55
        pc = rng.randint(1, 14) / 10.0
        lvl = rng.randint(78000, 86000) / 10.0
        s1, s2 = rng.sample(sectors, 2)
        adv, dec = rng.randint(150, 320), rng.randint(120, 300)
        paras = ["LONDON, March %d (CNA) - The benchmark Kestrel 100 index %s %.1f pct to %s points on %s, %s." %
                 (day, "rose" if up else "fell", pc, "{:,.2f}".format(lvl), wd(t),
                  ("led by gains in %s and %s shares" if up else "dragged down by %s and %s stocks") % (s1, s2)),
                 "The broader All-Share index %s %.1f pct. Turnover was %.2f bln shares, %s the 20-day average." %
                 ("gained" if up else "lost", pc + rng.choice([-0.1, 0.0, 0.1]), rng.randint(80, 160) / 100.0,
                  rng.choice(["above", "below", "roughly in line with"])),
                 "Among individual stocks, %s %s %.1f pct %s." % (co, "jumped" if chg > 0 else "slumped", abs(chg), why),
                 "Advancing issues outnumbered decliners by %d to %d." % (max(adv, dec), min(adv, dec)) if up else
                 "Decliners outnumbered advancing issues by %d to %d." % (max(adv, dec), min(adv, dec)),
                 "The pound %s against the dollar and government bond yields %s." %
                 (rng.choice(["firmed", "eased", "was little changed"]), rng.choice(["edged up", "slipped", "were steady"]))]
        out.append(dict(agency="cna", time=t, title="Kestrel 100 %s %.1f pct, %s %s" %
                        ("rises" if up else "falls", pc, co, "surges" if chg > 0 else "slides"),
                        paras=paras, headlines=["Stocks %s as %s moves" % ("rise" if up else "fall", co),
                                                "Market close: Kestrel 100 %s" % ("higher" if up else "lower")],
                        caption=None, alt=None, topic="economy"))
    return out


def money_market(rng):
    out = []
    for day in [2, 3, 4, 9, 10]:
        t = d(day, 10, 30)
        inj = rng.randint(30, 95) / 10.0
        bids = round(inj + rng.randint(2, 40) / 10.0, 1)
        mat = t + dt.timedelta(days=7)
        old = rng.randint(25, 90) / 10.0
        paras = ["REYKHOLT, March %d (CNA) - The Central Bank of Kaldera said it injected %.1f bln krona into the banking system on %s through a seven-day repurchase operation at a fixed rate of 2.75 pct." % (day, inj, wd(t)),
                 "Bids totalled %.1f bln krona from %d counterparties, the bank said in a statement." % (bids, rng.randint(9, 17)),
                 "The operation matures on %s, March %d. A total of %.1f bln krona from an earlier operation matured on %s." % (wd(mat), mat.day, old, wd(t)),
                 "The bank said it would continue to conduct regular operations to keep the overnight rate close to its policy rate."]
        out.append(dict(agency="cna", time=t, title="Kaldera central bank injects %.1f bln krona in seven-day repo" % inj,
                        paras=paras, headlines=["Kaldera central bank adds %.1f bln krona to money market" % inj],
                        caption=None, alt=None, topic="economy"))
    return out


# ---------------------------------------------------------------------------
def main():
    rng = random.Random(SEED)
    wires, twins = [], []
    for fn in sorted(os.listdir(STORY_DIR)):
        if not fn.endswith(".txt"):
            continue
        s = read_story(os.path.join(STORY_DIR, fn))
        (twins if "twin" in s else wires).append(s)
    templated = earnings(rng) + sports(rng) + weather(rng) + market_close(rng) + money_market(rng)
    next_d = max(int(s["id"][1:]) for s in twins) + 1
    for i, s in enumerate(templated):
        s["id"] = "d%02d" % (next_d + i)

    all_titles = [(s["id"], s["title"], s["time"]) for s in wires + twins]
    articles, truth = [], []
    n_weights = [(1, 2), (2, 4), (3, 5), (4, 6), (5, 6), (6, 5), (7, 3), (8, 2)]
    for s in wires:
        n = rng.choices([k for k, _ in n_weights], weights=[w for _, w in n_weights])[0]
        build_story_family(s, "wire", n, rng, all_titles, articles, truth)
    for s in twins:
        n = rng.choices([0, 1, 2, 3], weights=[3, 4, 3, 1])[0]
        build_story_family(s, "twin", n, rng, all_titles, articles, truth)
    for s in templated:
        n = rng.choices([0, 1, 2], weights=[6, 3, 1])[0]
        build_story_family(s, "templated", n, rng, all_titles, articles, truth, content_edits=False)

    ids = [a["id"] for a in articles]
    assert len(ids) == len(set(ids)), "duplicate ids"
    rng.shuffle(articles)
    keys = ["id", "outlet", "date", "title", "url", "text"]
    with open(os.path.join(HERE, "articles.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for a in articles:
            f.write(json.dumps({k: a[k] for k in keys}, ensure_ascii=False) + "\n")
    order = {a["id"]: i for i, a in enumerate(articles)}
    truth.sort(key=lambda r: (r[1], r[0]))
    with open(os.path.join(HERE, "truth.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("id\tstory\tsource\n")
        for r in truth:
            f.write("\t".join(r) + "\n")
    n_st = len({r[1] for r in truth})
    print("wrote %d articles, %d stories (%d wire, %d same-event reports, %d templated)"
          % (len(articles), n_st, len(wires), len(twins), len(templated)), file=sys.stderr)
    if "--stats" in sys.argv:
        for k in sorted(STATS):
            print("  %-40s %d" % (k, STATS[k]), file=sys.stderr)


if __name__ == "__main__":
    main()
