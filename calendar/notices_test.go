package calendar_test

import (
	"slices"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/calendar"
)

// A notice row holds what one State Council notice (国务院办公厅关于YYYY年
// 部分节假日安排的通知) says, transcribed from its text: every holiday with
// its days off (共N天) and the days worked in exchange (上班), and every
// weekday the text writes next to a date ("1月17日（星期六）"), so a
// mistyped date shows as a wrong weekday. The embedded schedule must hold
// exactly these blocks: the data is tied to the notice, not to a dataset.
type noticeRow struct {
	year   int
	number string // 发文字号
	title  string
	source string // where the text was read
	blocks []noticeBlock
	// weekdays the notice writes in brackets after a date.
	weekdays map[string]time.Weekday
}

type noticeBlock struct {
	key      string
	wording  string // the notice's sentence, shortened
	from, to string
	days     int // 共N天 (0: the notice gives no count)
	workdays []string
}

var notices = []noticeRow{
	{
		year:   2004,
		number: "国办发明电〔2003〕53号",
		title:  "国务院办公厅关于2004年部分节假日安排的通知",
		source: "zh.wikisource copy of the notice, as quoted in the chinese-days sources; number as cited by a provincial reprint",
		blocks: []noticeBlock{
			{key: "new_year", wording: "元旦：1月1日放假。", from: "2004-01-01", to: "2004-01-01"},
			{key: "spring_festival", wording: "春节：1月22日———28日（即农历大年初一至初七）放假，共7天。……1月17日、18日上班。", from: "2004-01-22", to: "2004-01-28", days: 7, workdays: []string{"2004-01-17", "2004-01-18"}},
			{key: "labour_day", wording: "“五一”：5月1日———7日放假，共7天。……5月8日、9日上班。", from: "2004-05-01", to: "2004-05-07", days: 7, workdays: []string{"2004-05-08", "2004-05-09"}},
			{key: "national_day", wording: "“十一”：10月1日———7日放假，共7天。……10月9日、10日上班。", from: "2004-10-01", to: "2004-10-07", days: 7, workdays: []string{"2004-10-09", "2004-10-10"}},
		},
		weekdays: map[string]time.Weekday{
			"2004-01-25": time.Sunday, "2004-01-17": time.Saturday, "2004-01-18": time.Sunday, "2004-01-24": time.Saturday,
			"2004-01-26": time.Monday, "2004-01-27": time.Tuesday, "2004-01-28": time.Wednesday,
			"2004-05-01": time.Saturday, "2004-05-02": time.Sunday, "2004-05-04": time.Tuesday, "2004-05-05": time.Wednesday,
			"2004-05-08": time.Saturday, "2004-05-09": time.Sunday, "2004-05-06": time.Thursday, "2004-05-07": time.Friday,
			"2004-10-02": time.Saturday, "2004-10-03": time.Sunday, "2004-10-04": time.Monday, "2004-10-05": time.Tuesday,
			"2004-10-09": time.Saturday, "2004-10-10": time.Sunday, "2004-10-06": time.Wednesday, "2004-10-07": time.Thursday,
		},
	},
	{
		year:   2005,
		number: "国办发明电〔2004〕52号",
		title:  "国务院办公厅关于2005年部分节假日安排的通知",
		source: "the notice's text as relayed in the news (国务院办公厅近日发出通知…), quoted in the chinese-days sources; 春节 also in the Xinjiang government's 2005 notice; number as cited by a legal-database reprint",
		blocks: []noticeBlock{
			{key: "new_year", wording: "元旦：1月1日～3日放假，共3天。", from: "2005-01-01", to: "2005-01-03", days: 3},
			{key: "spring_festival", wording: "春节：2月9日～15日(农历大年初一至初七)放假，共7天。……2月5日、6日上班。", from: "2005-02-09", to: "2005-02-15", days: 7, workdays: []string{"2005-02-05", "2005-02-06"}},
			{key: "labour_day", wording: "“五一”：5月1日～7日放假，共7天。……4月30日、5月8日上班。", from: "2005-05-01", to: "2005-05-07", days: 7, workdays: []string{"2005-04-30", "2005-05-08"}},
			{key: "national_day", wording: "“十一”：10月1日～7日放假，共7天。……10月8日、9日上班。", from: "2005-10-01", to: "2005-10-07", days: 7, workdays: []string{"2005-10-08", "2005-10-09"}},
		},
		weekdays: map[string]time.Weekday{
			"2005-01-01": time.Saturday, "2005-01-03": time.Monday, "2005-01-02": time.Sunday,
			"2005-02-12": time.Saturday, "2005-02-13": time.Sunday, "2005-02-05": time.Saturday, "2005-02-06": time.Sunday,
			"2005-02-14": time.Monday, "2005-02-15": time.Tuesday,
			"2005-04-30": time.Saturday, "2005-05-01": time.Sunday, "2005-05-08": time.Sunday, "2005-05-04": time.Wednesday,
			"2005-05-05": time.Thursday, "2005-05-06": time.Friday, "2005-05-07": time.Saturday,
			"2005-10-01": time.Saturday, "2005-10-02": time.Sunday, "2005-10-04": time.Tuesday, "2005-10-05": time.Wednesday,
			"2005-10-08": time.Saturday, "2005-10-09": time.Sunday, "2005-10-06": time.Thursday, "2005-10-07": time.Friday,
		},
	},
	{
		year:   2006,
		number: "国办发明电〔2005〕35号",
		title:  "国务院办公厅关于2006年部分节假日安排的通知",
		source: "zh.wikisource, full text (2005年12月16日)",
		blocks: []noticeBlock{
			{key: "new_year", wording: "元旦：1月1日—3日放假，共3天。……12月31日(星期六)上班。", from: "2006-01-01", to: "2006-01-03", days: 3, workdays: []string{"2005-12-31"}},
			{key: "spring_festival", wording: "春节：1月29日—2月4日(即农历大年初一至初七)放假，共7天。……1月28日、2月5日上班。", from: "2006-01-29", to: "2006-02-04", days: 7, workdays: []string{"2006-01-28", "2006-02-05"}},
			{key: "labour_day", wording: "“五一”：5月1日—7日放假，共7天。……4月29日、30日上班。", from: "2006-05-01", to: "2006-05-07", days: 7, workdays: []string{"2006-04-29", "2006-04-30"}},
			{key: "national_day", wording: "“十一”：10月1日—7日放假，共7天。……9月30日、10月8日上班。", from: "2006-10-01", to: "2006-10-07", days: 7, workdays: []string{"2006-09-30", "2006-10-08"}},
		},
		weekdays: map[string]time.Weekday{
			"2005-12-31": time.Saturday, "2006-01-01": time.Sunday, "2006-01-02": time.Monday, "2006-01-03": time.Tuesday,
			"2006-01-28": time.Saturday, "2006-01-29": time.Sunday, "2006-02-05": time.Sunday,
			"2006-02-01": time.Wednesday, "2006-02-02": time.Thursday, "2006-02-03": time.Friday, "2006-02-04": time.Saturday,
			"2006-04-29": time.Saturday, "2006-04-30": time.Sunday, "2006-05-04": time.Thursday, "2006-05-05": time.Friday,
			"2006-05-06": time.Saturday, "2006-05-07": time.Sunday,
			"2006-09-30": time.Saturday, "2006-10-01": time.Sunday, "2006-10-08": time.Sunday,
			"2006-10-04": time.Wednesday, "2006-10-05": time.Thursday, "2006-10-06": time.Friday, "2006-10-07": time.Saturday,
		},
	},
	{
		year:   2007,
		number: "国办发明电〔2006〕49号",
		title:  "国务院办公厅关于2007年部分节假日安排的通知",
		source: "full text as published in the State Council gazette (二〇〇六年十二月十四日)",
		blocks: []noticeBlock{
			{key: "new_year", wording: "元旦：1月1日—3日放假，共3天。……2006年12月30日(星期六)、31日(星期日)上班。", from: "2007-01-01", to: "2007-01-03", days: 3, workdays: []string{"2006-12-30", "2006-12-31"}},
			{key: "spring_festival", wording: "春节：2月18日—24日(即农历大年初一至初七)放假，共7天。……17日、25日上班。", from: "2007-02-18", to: "2007-02-24", days: 7, workdays: []string{"2007-02-17", "2007-02-25"}},
			{key: "labour_day", wording: "“五一”：5月1日—7日放假，共7天。……4月28日、29日上班。", from: "2007-05-01", to: "2007-05-07", days: 7, workdays: []string{"2007-04-28", "2007-04-29"}},
			{key: "national_day", wording: "“十一”：10月1日—7日放假，共7天。……9月29日、30日上班。", from: "2007-10-01", to: "2007-10-07", days: 7, workdays: []string{"2007-09-29", "2007-09-30"}},
		},
		weekdays: map[string]time.Weekday{
			"2006-12-30": time.Saturday, "2006-12-31": time.Sunday,
			"2007-02-17": time.Saturday, "2007-02-18": time.Sunday, "2007-02-25": time.Sunday,
			"2007-02-21": time.Wednesday, "2007-02-22": time.Thursday, "2007-02-23": time.Friday, "2007-02-24": time.Saturday,
			"2007-04-28": time.Saturday, "2007-04-29": time.Sunday, "2007-05-04": time.Friday, "2007-05-07": time.Monday,
			"2007-05-05": time.Saturday, "2007-05-06": time.Sunday,
			"2007-09-29": time.Saturday, "2007-09-30": time.Sunday, "2007-10-04": time.Thursday, "2007-10-05": time.Friday,
			"2007-10-06": time.Saturday, "2007-10-07": time.Sunday,
		},
	},
}

// firstWithoutNotice is the first shipped year whose arrangement has no
// notice row here: from 2008 on the arrangements are checked day by day
// against the npm datasets only (TestChinaMatchesIndependentDatasets).
const firstWithoutNotice = 2008

func TestChinaMatchesNotices(t *testing.T) {
	china := calendar.China()
	byYear := map[int]bool{}
	for _, n := range notices {
		byYear[n.year] = true
		t.Run(n.number, func(t *testing.T) {
			for s, want := range n.weekdays {
				if got := mustDate(t, s).Weekday(); got != want {
					t.Errorf("%s: the notice writes %s, the calendar says %s: the row mistypes a date", s, want, got)
				}
			}
			want := make([]calendar.Block, 0, len(n.blocks))
			for _, b := range n.blocks {
				from, to := mustDate(t, b.from), mustDate(t, b.to)
				if b.days > 0 && from.DaysUntil(to)+1 != b.days {
					t.Errorf("%s %s: %s..%s is %d days, the notice says 共%d天", n.number, b.key, from, to, from.DaysUntil(to)+1, b.days)
				}
				blk := calendar.Block{Key: b.key, From: from, To: to}
				for _, w := range b.workdays {
					d := mustDate(t, w)
					if !weekend(d) {
						t.Errorf("%s %s: make-up day %s is a %s, not a weekend day", n.number, b.key, d, d.Weekday())
					}
					blk.Workdays = append(blk.Workdays, d)
				}
				want = append(want, blk)
			}
			got, err := china.Blocks(n.year)
			if err != nil {
				t.Fatalf("%s (%s): %v", n.title, n.number, err)
			}
			if len(got) != len(want) {
				t.Fatalf("%d: shipped %d blocks, %s lists %d", n.year, len(got), n.number, len(want))
			}
			for i := range want {
				g, w := got[i], want[i]
				if g.Key != w.Key || g.From != w.From || g.To != w.To || !slices.Equal(g.Workdays, w.Workdays) {
					t.Errorf("%d %s: shipped %s..%s make-up %v; %s: %s", n.year, w.Key, g.From, g.To, g.Workdays, n.number, n.blocks[i].wording)
				}
			}
		})
	}
	for _, y := range china.Years() {
		if y < firstWithoutNotice && !byYear[y] {
			t.Errorf("%d is shipped without a notice row", y)
		}
	}
	for y := range byYear {
		if !china.Covers(y) {
			t.Errorf("%d has a notice row but is not shipped", y)
		}
	}
}
