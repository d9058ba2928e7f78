#!/usr/bin/env python3
"""Self-check for corpus/articles.jsonl and corpus/truth.tsv (standard library only).

Validates structure and the provenance tree, then prints word 5-shingle Jaccard
statistics for same-story and different-story pairs.
Usage: python3 corpus/check_corpus.py [--top N]
"""

import datetime as dt
import email.utils
import json
import os
import re
import statistics
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = ["id", "outlet", "date", "title", "url", "text"]


def parse_date(s):
    if re.match(r"^\d{4}-\d\d-\d\dT", s):
        return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
    t = email.utils.parsedate_to_datetime(s)
    if t.tzinfo is None:
        raise ValueError("date without zone: %r" % s)
    return t


def shingles(text, k=5):
    words = re.sub(r"[^\w\s]", " ", text.lower()).split()
    return {tuple(words[i:i + k]) for i in range(len(words) - k + 1)}


def jaccard(a, b):
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def main():
    top = 10
    if "--top" in sys.argv:
        top = int(sys.argv[sys.argv.index("--top") + 1])
    errors = []
    arts = {}
    with open(os.path.join(HERE, "articles.jsonl"), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                a = json.loads(line)
            except ValueError as e:
                errors.append("line %d: bad JSON: %s" % (n, e))
                continue
            if list(a.keys()) != KEYS:
                errors.append("line %d: keys %s" % (n, list(a.keys())))
            if not all(isinstance(a.get(k), str) and a.get(k).strip() for k in KEYS):
                errors.append("line %d: empty or non-string field" % n)
            if a["id"] in arts:
                errors.append("duplicate id %s" % a["id"])
            try:
                a["_t"] = parse_date(a["date"])
            except Exception as e:  # noqa: BLE001
                errors.append("%s: bad date %r (%s)" % (a["id"], a["date"], e))
            arts[a["id"]] = a
    truth = {}
    with open(os.path.join(HERE, "truth.tsv"), encoding="utf-8") as f:
        header = f.readline().rstrip("\n")
        if header != "id\tstory\tsource":
            errors.append("bad truth header %r" % header)
        for line in f:
            aid, story, src = line.rstrip("\n").split("\t")
            if aid in truth:
                errors.append("duplicate truth row %s" % aid)
            truth[aid] = (story, src)
    if set(truth) != set(arts):
        errors.append("truth/articles id mismatch: %s" % sorted(set(truth) ^ set(arts))[:10])
    roots = Counter()
    for aid, (story, src) in truth.items():
        if not src:
            roots[story] += 1
            continue
        if src not in truth:
            errors.append("%s: source %s unknown" % (aid, src))
            continue
        if truth[src][0] != story:
            errors.append("%s: source %s is another story" % (aid, src))
        if aid in arts and src in arts and not arts[src]["_t"] < arts[aid]["_t"]:
            errors.append("%s: source %s is not earlier" % (aid, src))
    stories = {s for s, _ in truth.values()}
    for s in stories:
        if roots[s] != 1:
            errors.append("story %s has %d origins" % (s, roots[s]))

    ids = sorted(arts)
    sh = {i: shingles(arts[i]["text"]) for i in ids}
    story_of = {i: truth[i][0] for i in ids}
    same, diff = [], []
    for x in range(len(ids)):
        for y in range(x + 1, len(ids)):
            a, b = ids[x], ids[y]
            j = jaccard(sh[a], sh[b])
            (same if story_of[a] == story_of[b] else diff).append((j, a, b))
    same_j = sorted(j for j, _, _ in same)
    diff.sort(reverse=True)

    def q(v, p):
        return v[min(len(v) - 1, int(p * (len(v) - 1)))]

    n_src = sum(1 for s, src in truth.values() if src)
    n_coc = sum(1 for s, src in truth.values() if src and truth[src][1])
    wire = sorted(s for s in stories if s.startswith("s"))
    dis = sorted(s for s in stories if s.startswith("d"))
    print("articles: %d  stories: %d (wire s*: %d, distractors d*: %d)  outlets: %d"
          % (len(arts), len(stories), len(wire), len(dis), len({a["outlet"] for a in arts.values()})))
    print("reprints: %d  (copies of copies: %d)" % (n_src, n_coc))
    print("rfc2822 dates: %d" % sum(1 for a in arts.values() if not re.match(r"^\d{4}-", a["date"])))
    print("same-story pairs: %d  jaccard min %.3f  p10 %.3f  median %.3f  p90 %.3f  max %.3f"
          % (len(same_j), same_j[0], q(same_j, 0.1), statistics.median(same_j), q(same_j, 0.9), same_j[-1]))
    print("  same-story pairs below 0.2: %d, below 0.1: %d" % (sum(j < 0.2 for j in same_j), sum(j < 0.1 for j in same_j)))
    print("different-story pairs: %d  jaccard max %.3f  pairs >= 0.1: %d  >= 0.2: %d"
          % (len(diff), diff[0][0], sum(j >= 0.1 for j, _, _ in diff), sum(j >= 0.2 for j, _, _ in diff)))
    print("top %d most similar different-story pairs:" % top)
    for j, a, b in diff[:top]:
        print("  %.3f  %-28s %-28s" % (j, a, b))
    low = sorted(same)[:5]
    print("least similar same-story pairs:")
    for j, a, b in low:
        print("  %.3f  %-28s %-28s" % (j, a, b))
    if errors:
        print("ERRORS (%d):" % len(errors))
        for e in errors[:50]:
            print("  " + e)
        sys.exit(1)
    print("OK: all checks passed")


if __name__ == "__main__":
    main()
