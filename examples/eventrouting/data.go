package main

import "github.com/leadline/leadline/sim"

// names draws people's names: the first 24 family names of package sim,
// and given names of their own.
var names = sim.Names{Family: sim.FamilyNames[:24], Given: []string{
	"Haruto", "Yui", "Sota", "Hina", "Ren", "Aoi", "Yuto", "Mio", "Kenji", "Akiko",
	"Takeshi", "Naoko", "Hiroshi", "Yuki", "Daisuke", "Emi", "Kazuki", "Sakura", "Taro", "Mai",
}}

// companies are the prospects' companies. Each is an account of one field
// rep (by index, fieldReps), who invites its people to the company's own events.
var companies = []string{
	"Aozora Systems KK", "Sakura Foods KK", "Kitahama Logistics KK", "Minato Precision KK",
	"Hikari Pharma KK", "Tsubasa Trading KK", "Nishikaze Motors KK", "Yamabiko Software KK",
	"Kaede Insurance KK", "Shirakawa Chemicals KK", "Midori Analytics KK", "Asahi Robotics KK",
	"Kurenai Retail KK", "Hoshizora Construction KK", "Umibe Textiles KK", "Takane Energy KK",
	"Northwind Japan KK", "Contoso Japan KK", "Globex Asia KK", "Initech Tokyo KK",
}
