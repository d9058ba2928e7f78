// syndic-peer: the same job as `syndic cluster`, done with
// github.com/ekzhu/minhash-lsh (Debian: golang-github-ekzhu-minhash-lsh-dev),
// as a point of comparison for bench/peer/compare.sh.
//
//	syndic-peer [-threshold 0.25] [-k 4] [-hashes 128] [-seed 1] [-o OUT.jsonl] IN.jsonl
//
// Pipeline, using the library's intended API throughout:
//
//  1. read JSON Lines (gzip recognised by its magic bytes), keys id and text,
//     optional outlet (or source), date, title, url;
//  2. words: lowercase (unicode.ToLower), split on every rune that is not a
//     letter or a digit (unicode.IsLetter / unicode.IsDigit);
//  3. word 4-shingles (words joined by one space), each pushed into a
//     minhashlsh.Minhash (NewMinhash(seed, 128): 128 hash functions
//     h1 + i*h2 over two seeded FNV-1a hashes); a text of fewer than 4 words is
//     one shingle, a text without words gets no signature and stays a
//     singleton (kept out of the index);
//  4. minhashlsh.NewMinhashLSH(128, 0.25) (32-bit values in the band keys; the
//     library chooses bands and rows by the false-positive + false-negative
//     area, like datasketch), Add every signature, Index(), then Query every
//     document;
//  5. verify each candidate pair by the estimated Jaccard (the share of equal
//     signature values, as go-minhash's MinWise.Similarity computes it)
//     >= threshold;
//  6. union-find (plain single linkage, no chaining guard, no time or figure
//     checks: the library offers none);
//  7. write clusters of two or more in syndic's JSONL schema (syndic.cluster/1):
//     sorted by size, then by the input order of their first member; members
//     in input order, the first one is the representative; `time` is null.
//
// Differences from syndic's normalizer (docs/algorithms.md): no NFKD and no
// stripping of accents (é stays é), no punctuation lumping, an apostrophe
// splits a word (don't -> don t), and so do a comma, period, slash or hyphen
// between digits (1,200 -> 1 200; 5.6 -> 5 6). Stage times go to stderr.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
	"unicode"

	minhashlsh "github.com/ekzhu/minhash-lsh"
)

type record struct {
	ID     *string `json:"id"`
	Text   *string `json:"text"`
	Outlet *string `json:"outlet"`
	Source *string `json:"source"`
	Date   *string `json:"date"`
	Title  *string `json:"title"`
	URL    *string `json:"url"`
}

type doc struct {
	id, outlet, date, title, url *string
	sig                          []uint64 // nil: no words
}

type member struct {
	ID      string  `json:"id"`
	Outlet  *string `json:"outlet"`
	Date    *string `json:"date"`
	Time    *string `json:"time"`
	Title   *string `json:"title"`
	URL     *string `json:"url"`
	Jaccard float64 `json:"jaccard"`
}

type cluster struct {
	Cluster        int      `json:"cluster"`
	Size           int      `json:"size"`
	Representative string   `json:"representative"`
	Members        []member `json:"members"`
}

func words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

func sketch(text string, k, numHash int, seed int64) []uint64 {
	w := words(text)
	if len(w) == 0 {
		return nil
	}
	m := minhashlsh.NewMinhash(seed, numHash)
	if len(w) < k {
		m.Push([]byte(strings.Join(w, " ")))
	} else {
		seen := make(map[string]struct{}, len(w))
		for i := 0; i+k <= len(w); i++ {
			s := strings.Join(w[i:i+k], " ")
			if _, dup := seen[s]; dup {
				continue
			}
			seen[s] = struct{}{}
			m.Push([]byte(s))
		}
	}
	sig := m.Signature()
	out := make([]uint64, len(sig))
	copy(out, sig)
	return out
}

func similarity(a, b []uint64) float64 {
	eq := 0
	for i := range a {
		if a[i] == b[i] {
			eq++
		}
	}
	return float64(eq) / float64(len(a))
}

func find(p []int32, x int32) int32 {
	for p[x] != x {
		p[x] = p[p[x]]
		x = p[x]
	}
	return x
}

func openInput(path string) (io.Reader, func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	br := bufio.NewReaderSize(f, 1<<20)
	magic, _ := br.Peek(2)
	if bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		z, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, nil, err
		}
		return z, func() { z.Close(); f.Close() }, nil
	}
	return br, func() { f.Close() }, nil
}

func die(format string, a ...interface{}) {
	fmt.Fprintf(os.Stderr, "syndic-peer: "+format+"\n", a...)
	os.Exit(1)
}

func main() {
	threshold := flag.Float64("threshold", 0.25, "estimated Jaccard for an edge")
	k := flag.Int("k", 4, "words per shingle")
	numHash := flag.Int("hashes", 128, "MinHash values")
	seed := flag.Int64("seed", 1, "MinHash seed")
	outPath := flag.String("o", "-", "output JSONL")
	quiet := flag.Bool("q", false, "no summary on stderr")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: syndic-peer [-threshold T] [-k K] [-hashes N] [-seed S] [-o OUT] IN.jsonl")
		os.Exit(2)
	}
	in := flag.Arg(0)

	t0 := time.Now()
	r, closeIn, err := openInput(in)
	if err != nil {
		die("%s: %v", in, err)
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	var docs []doc
	seen := make(map[string]struct{})
	line, skipped := 0, 0
	for sc.Scan() {
		line++
		b := sc.Bytes()
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		var rec record
		if err := json.Unmarshal(b, &rec); err != nil || rec.ID == nil || rec.Text == nil || *rec.Text == "" {
			fmt.Fprintf(os.Stderr, "syndic-peer: %s:%d: skipped (bad JSON or no id/text)\n", in, line)
			skipped++
			continue
		}
		if _, dup := seen[*rec.ID]; dup {
			fmt.Fprintf(os.Stderr, "syndic-peer: %s:%d: skipped (duplicate id)\n", in, line)
			skipped++
			continue
		}
		seen[*rec.ID] = struct{}{}
		outlet := rec.Outlet
		if outlet == nil {
			outlet = rec.Source
		}
		docs = append(docs, doc{id: rec.ID, outlet: outlet, date: rec.Date, title: rec.Title,
			url: rec.URL, sig: sketch(*rec.Text, *k, *numHash, *seed)})
	}
	if err := sc.Err(); err != nil {
		die("%s:%d: %v", in, line+1, err)
	}
	closeIn()
	seen = nil
	t1 := time.Now()

	lsh := minhashlsh.NewMinhashLSH(*numHash, *threshold)
	for i := range docs {
		if docs[i].sig != nil {
			lsh.Add(i, docs[i].sig)
		}
	}
	lsh.Index()
	t2 := time.Now()

	parent := make([]int32, len(docs))
	for i := range parent {
		parent[i] = int32(i)
	}
	var candidates, edges int64
	for i := range docs {
		if docs[i].sig == nil {
			continue
		}
		for _, key := range lsh.Query(docs[i].sig) {
			j := key.(int)
			if j <= i {
				continue // each pair once
			}
			candidates++
			if similarity(docs[i].sig, docs[j].sig) >= *threshold {
				edges++
				a, b := find(parent, int32(i)), find(parent, int32(j))
				if a != b {
					if a < b {
						parent[b] = a
					} else {
						parent[a] = b
					}
				}
			}
		}
	}
	t3 := time.Now()

	groups := make(map[int32][]int32)
	for i := range docs {
		root := find(parent, int32(i))
		groups[root] = append(groups[root], int32(i))
	}
	var list [][]int32
	for _, g := range groups {
		if len(g) >= 2 {
			sort.Slice(g, func(a, b int) bool { return g[a] < g[b] })
			list = append(list, g)
		}
	}
	sort.Slice(list, func(a, b int) bool {
		if len(list[a]) != len(list[b]) {
			return len(list[a]) > len(list[b])
		}
		return list[a][0] < list[b][0]
	})
	t4 := time.Now()

	var w io.Writer = os.Stdout
	var outFile *os.File
	if *outPath != "-" {
		outFile, err = os.Create(*outPath)
		if err != nil {
			die("%s: %v", *outPath, err)
		}
		w = outFile
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	clustered, largest := 0, 0
	for n, g := range list {
		rep := docs[g[0]]
		c := cluster{Cluster: n + 1, Size: len(g), Representative: *rep.id}
		for _, i := range g {
			d := docs[i]
			c.Members = append(c.Members, member{ID: *d.id, Outlet: d.outlet, Date: d.date,
				Title: d.title, URL: d.url, Jaccard: similarity(rep.sig, d.sig)})
		}
		if err := enc.Encode(&c); err != nil {
			die("%s: %v", *outPath, err)
		}
		clustered += len(g)
		if len(g) > largest {
			largest = len(g)
		}
	}
	if err := bw.Flush(); err != nil {
		die("%s: %v", *outPath, err)
	}
	if outFile != nil {
		if err := outFile.Close(); err != nil {
			die("%s: %v", *outPath, err)
		}
	}
	t5 := time.Now()

	if !*quiet {
		kr, l := lsh.Params()
		fmt.Fprintf(os.Stderr, "read %d documents, skipped %d; %d-word shingles, %d hashes, threshold %.2f, %d bands x %d rows\n",
			len(docs), skipped, *k, *numHash, *threshold, l, kr)
		fmt.Fprintf(os.Stderr, "candidates %d, verified edges %d; clusters %d of two or more (%d documents), largest %d\n",
			candidates, edges, len(list), clustered, largest)
		fmt.Fprintf(os.Stderr, "time: read+sketch %.2f s, index %.2f s, query+verify+link %.2f s, cluster %.2f s, write %.2f s\n",
			t1.Sub(t0).Seconds(), t2.Sub(t1).Seconds(), t3.Sub(t2).Seconds(), t4.Sub(t3).Seconds(), t5.Sub(t4).Seconds())
	}
}
