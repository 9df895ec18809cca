package replay_test

import (
	"bufio"
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/leadline/leadline/internal/cputime"
	"github.com/leadline/leadline/replay"
)

var (
	big        = flag.Bool("big", false, "benchmark a replay of 1,000,000 events (else 100,000)")
	benchCount = flag.Int("events", 0, "benchmark a replay of this many events (overrides -big)")
)

// BenchmarkRun replays a synthetic log (sim.EventLog: created, inquiries,
// downloads, rescores, outbound attempts, contacts and statuses over
// many leads) read from a file with ReadLog, on memstore, and reports
// events per second and the peak heap, sampled every
// replay.ProgressEvery events.
func BenchmarkRun(b *testing.B) {
	n := 100_000
	if *big {
		n = 1_000_000
	}
	if *benchCount > 0 {
		n = *benchCount
	}
	path := filepath.Join(b.TempDir(), "log.jsonl")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := replay.WriteLog(f, synth(n, 1)); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var peak uint64
	var ms runtime.MemStats
	sample := func(int) {
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapAlloc)
	}
	cpu0 := cputime.Process()
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		out, err := replay.Run(b.Context(), replay.ReadLog(bufio.NewReader(f)), replay.Options{Roster: team(), Progress: sample})
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		if out.Events != n {
			b.Fatalf("replayed %d events, want %d", out.Events, n)
		}
	}
	cpu := cputime.Process() - cpu0
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	// The process's CPU time a replay took, collector included: with
	// -cpu 1 the time on one core, which a machine that others
	// load leaves as it is while it stretches events/s.
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(0, "ns/op") // a whole replay per op: events/s says it
}

// BenchmarkReadLog reads a synthetic log of 100,000 events: the part of
// a replay that is parsing.
func BenchmarkReadLog(b *testing.B) {
	var buf bytes.Buffer
	if err := replay.WriteLog(&buf, synth(100_000, 1)); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, err := range replay.ReadLog(bytes.NewReader(buf.Bytes())) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 100_000 {
			b.Fatalf("read %d events", n)
		}
	}
	b.ReportMetric(100_000*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
