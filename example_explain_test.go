package leadline_test

import (
	"context"
	"fmt"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/leadline/leadline"
	"github.com/leadline/leadline/lead"
	"github.com/leadline/leadline/memstore"
	"github.com/leadline/leadline/routing"
	"github.com/leadline/leadline/rules"
	"github.com/shopspring/decimal"
)

// A Japanese team reads why a lead went where it went in Japanese, its
// instants in Tokyo time (E3, E10): here T1 takes an untouched lead from
// aiko and hands it to ben. Each decision also carries its reason as
// values, and reads in another language with TextIn.
func ExampleEngine_Explain_japanese() {
	ctx := context.Background()
	clk := clock.NewMock()
	clk.Set(time.Date(2026, 12, 4, 1, 0, 0, 0, time.UTC))
	pol := leadline.DefaultPolicy()
	pol.Language, pol.TimeZone = rules.Japanese, "Asia/Tokyo"
	eng, err := leadline.New(memstore.New(), leadline.Config{
		Clock:  clk,
		Policy: pol,
		Roster: &routing.Org{Inside: routing.Team{ID: "inside", Manager: "mgr",
			Reps: []routing.Rep{{ID: "aiko"}, {ID: "ben"}}}},
	})
	if err != nil {
		panic(err)
	}
	_ = eng.Handle(ctx, lead.Event{ID: "e1", Kind: lead.EventCreated, Lead: "L-1", At: clk.Now(), Score: decimal.NewFromInt(150), Owner: "aiko"})
	_ = eng.Handle(ctx, lead.Event{ID: "e2", Kind: lead.EventInquiry, Lead: "L-1", At: clk.Now()})
	clk.Add(72 * time.Hour)
	_, _ = eng.Sweep(ctx)

	ops := routing.Viewer{Rep: "ops", Role: routing.RoleOps}
	ds, _ := eng.Explain(ctx, ops, "L-1")
	for _, d := range ds {
		if d.Field == lead.FieldStage || d.Field == lead.FieldOwner {
			fmt.Println(d.Text)
		}
	}
	last := ds[len(ds)-2]
	fmt.Println(last.Reason.Key, last.Reason.Values["window"], last.Reason.Values["excluded"])
	fmt.Println(last.TextIn(rules.English, nil))
	// Output:
	// M9: アカウント担当者。担当者を aiko に設定
	// A1: 新しいケイデンスを開始。ステージは未着手のまま
	// T1: 48時間以内にStage1のアプローチなし（期限 2026-12-06 10:00 JST）。ステージは未着手のまま
	// T1: Stage1 の期限（48時間）内にアプローチなし。内勤のラウンドロビンで再割り当て（aiko を除外）。担当者を aiko から ben に変更
	// reassigned 48h aiko
	// owner aiko -> ben by leadline (T1: no attempt within the Stage1 window (48h); round robin over inside sales, aiko excluded)
}
