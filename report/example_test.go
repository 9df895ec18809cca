package report_test

import (
	"context"
	"os"

	"github.com/leadline/leadline/report"
	"github.com/leadline/leadline/routing"
)

func ExampleWorklist() {
	st, f := newTeam()
	rows, err := report.Worklist(context.Background(), st, ops, report.WorklistParams{Frame: f})
	if err != nil {
		panic(err)
	}
	report.WriteCSV(os.Stdout, rows, report.WriteOptions{Zone: f.Zone, LF: true})
	// Output:
	// owner,lead,stage,company,name,score,ma_system,activity,due,overdue,late_hours,next_template,next_channels
	// rep-a,L-6,stage1,Zeta Corp,Yamada Mei,130.00,Marketo,1 download; last: pricing.pdf,2026-04-08T15:00:00+09:00,true,43.00,stage2-follow-up,"call,email"
}

func ExampleRequests() {
	st, f := newTeam()
	rows, err := report.Requests(context.Background(), st, ops, report.RequestsParams{Frame: f})
	if err != nil {
		panic(err)
	}
	report.WriteCSV(os.Stdout, rows, report.WriteOptions{Zone: f.Zone, LF: true})
	// Output:
	// owner,priority,due,state,lead,company,name,reasons,subject
	// rep-a,2,2026-04-10T11:00:00+09:00,open,L-2,Beta Inc,Suzuki Taro,A2,Inquiry (score below the threshold)
	// rep-a,2,2026-04-12T09:30:00+09:00,open,L-3,"Gamma, Ltd.","Takahashi ""Ken""","A8,A2",target account's score rose 15 since yesterday; Inquiry (score below the threshold)
}

func ExampleScoreJumps() {
	st, f := newTeam()
	rows, err := report.ScoreJumps(context.Background(), st, ops, report.ScoreJumpsParams{Frame: f, Days: 4})
	if err != nil {
		panic(err)
	}
	report.WriteCSV(os.Stdout, rows, report.WriteOptions{Zone: f.Zone, LF: true})
	// Output:
	// date,status,lead,company,name,target,previous,score,rise,owner
	// 2026-04-07,new,L-3,"Gamma, Ltd.","Takahashi ""Ken""",true,80.00,95.00,15.00,rep-a
	// 2026-04-09,new,L-1,Acme KK,Sato Hanako,false,120.00,150.00,30.00,rep-a
	// 2026-04-09,new,L-4,Delta GK,Ito Yui,false,55.00,70.00,15.00,
}

func ExampleCreatedToday() {
	st, f := newTeam()
	rows, err := report.CreatedToday(context.Background(), st, ops, report.CreatedParams{Frame: f})
	if err != nil {
		panic(err)
	}
	report.WriteCSV(os.Stdout, rows, report.WriteOptions{Zone: f.Zone, LF: true})
	// Output:
	// group,lead,created,company,name,source,status,score,owner
	// web,L-5,2026-04-10T09:30:00+09:00,Epsilon,Kato Jun,web,new,10.00,
}

func ExampleCreatedThisWeek() {
	st, f := newTeam()
	rows, err := report.CreatedThisWeek(context.Background(), st, ops, report.CreatedParams{Frame: f})
	if err != nil {
		panic(err)
	}
	report.WriteCSV(os.Stdout, rows, report.WriteOptions{Zone: f.Zone, LF: true})
	// Output:
	// group,lead,created,company,name,source,status,score,owner
	// <50,L-2,2026-04-06T09:00:00+09:00,Beta Inc,Suzuki Taro,seminar,new,45.00,rep-a
	// <50,L-5,2026-04-10T09:30:00+09:00,Epsilon,Kato Jun,web,new,10.00,
	// 50-99,L-3,2026-04-06T09:00:00+09:00,"Gamma, Ltd.","Takahashi ""Ken""",web,new,95.00,rep-a
	// 50-99,L-4,2026-04-08T09:00:00+09:00,Delta GK,Ito Yui,list,new,70.00,
	// >=100,L-1,2026-04-06T09:00:00+09:00,Acme KK,Sato Hanako,web,new,150.00,rep-a
	// >=100,L-6,2026-04-06T09:00:00+09:00,Zeta Corp,Yamada Mei,seminar,new,130.00,rep-a
}

func ExampleCreatedThisMonth() {
	st, f := newTeam()
	rows, err := report.CreatedThisMonth(context.Background(), st, ops, report.CreatedParams{Frame: f})
	if err != nil {
		panic(err)
	}
	report.WriteJSON(os.Stdout, rows, report.WriteOptions{Zone: f.Zone, LF: true})
	// Output:
	// [
	//   {"group": "new", "lead": "L-1", "created": "2026-04-06T09:00:00+09:00", "company": "Acme KK", "name": "Sato Hanako", "source": "web", "status": "new", "score": 150.00, "owner": "rep-a"},
	//   {"group": "new", "lead": "L-2", "created": "2026-04-06T09:00:00+09:00", "company": "Beta Inc", "name": "Suzuki Taro", "source": "seminar", "status": "new", "score": 45.00, "owner": "rep-a"},
	//   {"group": "new", "lead": "L-3", "created": "2026-04-06T09:00:00+09:00", "company": "Gamma, Ltd.", "name": "Takahashi \"Ken\"", "source": "web", "status": "new", "score": 95.00, "owner": "rep-a"},
	//   {"group": "new", "lead": "L-6", "created": "2026-04-06T09:00:00+09:00", "company": "Zeta Corp", "name": "Yamada Mei", "source": "seminar", "status": "new", "score": 130.00, "owner": "rep-a"},
	//   {"group": "new", "lead": "L-4", "created": "2026-04-08T09:00:00+09:00", "company": "Delta GK", "name": "Ito Yui", "source": "list", "status": "new", "score": 70.00, "owner": ""},
	//   {"group": "new", "lead": "L-5", "created": "2026-04-10T09:30:00+09:00", "company": "Epsilon", "name": "Kato Jun", "source": "web", "status": "new", "score": 10.00, "owner": ""}
	// ]
}

func ExampleOverdue() {
	st, f := newTeam()
	rows, err := report.Overdue(context.Background(), st, ops, report.OverdueParams{Frame: f})
	if err != nil {
		panic(err)
	}
	report.WriteCSV(os.Stdout, rows, report.WriteOptions{Zone: f.Zone, LF: true})
	// Output:
	// owner,lead,kind,stage,due,late_hours,late_working_hours,company,name
	// rep-a,L-6,cadence,stage1,2026-04-08T15:00:00+09:00,43.00,43.00,Zeta Corp,Yamada Mei
}

func ExampleFunnel() {
	st, f := newTeam()
	rows, err := report.Funnel(context.Background(), st, ops, report.FunnelParams{Frame: f})
	if err != nil {
		panic(err)
	}
	report.WriteCSV(os.Stdout, rows, report.WriteOptions{Zone: f.Zone, LF: true})
	// Output:
	// campaign,engagement,mql,approached,connected,pre_sql,accepted,opportunity,inside_pre_sqls,field_opportunities,sql_campaigns,high_engagement_sql_campaigns
	// ,,4,2,1,0,0,0,0,0,0,0
}

func ExampleSLA() {
	st, f := newTeam()
	rows, err := report.SLA(context.Background(), st, ops, report.SLAParams{Frame: f, Teams: []routing.Team{roster.Inside}})
	if err != nil {
		panic(err)
	}
	report.WriteCSV(os.Stdout, rows, report.WriteOptions{Zone: f.Zone, LF: true})
	// Output:
	// team,owner,requests,attempted,first_attempt_median_hours,first_attempt_p90_hours,first_attempt_median_working_hours,first_attempt_p90_working_hours,steps,on_time,reassigned,escalated,connections,recycles
	// inside,rep-a,2,2,3.00,6.00,3.00,6.00,2,2,0,0,1,0
	// inside,rep-b,2,0,0.00,0.00,0.00,0.00,0,0,2,0,0,0
	// inside,,4,2,3.00,6.00,3.00,6.00,2,2,2,0,1,0
}
