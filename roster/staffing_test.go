package roster

import (
	"errors"
	"math"
	"testing"
	"time"
)

func TestAgentsFor(t *testing.T) {
	// Expected values: the first row is the widely published Erlang C
	// worked example (100 calls in 30 min, AHT 180 s, 80/20: 14 agents,
	// P(wait) 17.4 %, service level 88.8 %, ASA 7.8 s). Every row was
	// derived independently of this code with the closed-form Erlang C
	// (A^n/n! · n/(n-A) over the sum of A^k/k!) in exact rational
	// arithmetic (testdata/erlang_c.py: fractions.Fraction and
	// math.factorial), searching n upward from floor(A)+1.
	tests := []struct {
		name                string
		load                Load
		target              Target
		agents              int
		wait, level, asaSec float64
	}{
		{"R8_published_100_calls_30min_aht180_80_20", Load{100, 30 * time.Minute, 180 * time.Second}, Target{0.8, 20 * time.Second}, 14, 0.174132, 0.888350, 7.835937},
		{"R8_360_calls_hour_aht240_80_20", Load{360, time.Hour, 240 * time.Second}, Target{0.8, 20 * time.Second}, 29, 0.242274, 0.840283, 11.629151},
		{"R8_50_calls_30min_aht300_90_30", Load{50, 30 * time.Minute, 300 * time.Second}, Target{0.9, 30 * time.Second}, 13, 0.098599, 0.938170, 6.338510},
		{"R8_1000_calls_hour_aht300_80_20", Load{1000, time.Hour, 300 * time.Second}, Target{0.8, 20 * time.Second}, 91, 0.309451, 0.814382, 12.108954},
		{"R8_20_calls_hour_aht600_80_60", Load{20, time.Hour, 600 * time.Second}, Target{0.8, 60 * time.Second}, 6, 0.148217, 0.886477, 33.348748},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := AgentsFor(tc.load, tc.target)
			if err != nil {
				t.Fatal(err)
			}
			if s.Agents != tc.agents {
				t.Fatalf("agents %d, want %d", s.Agents, tc.agents)
			}
			near := func(what string, got, want float64) {
				if math.Abs(got-want) > 1e-5 {
					t.Errorf("%s = %.6f, want %.6f", what, got, want)
				}
			}
			near("P(wait)", s.WaitProbability, tc.wait)
			near("service level", s.ServiceLevel, tc.level)
			near("ASA s", s.ASA.Seconds(), tc.asaSec)
			near("occupancy", s.Occupancy, tc.load.Traffic()/float64(tc.agents))
			// One fewer agent misses the target.
			less, _ := Evaluate(tc.load, tc.agents-1, tc.target)
			if less.ServiceLevel >= tc.target.ServiceLevel {
				t.Errorf("%d agents already reach %.4f", tc.agents-1, less.ServiceLevel)
			}
		})
	}
	t.Run("R8_published_13_agents_miss_80_20", func(t *testing.T) {
		s, _ := Evaluate(Load{100, 30 * time.Minute, 180 * time.Second}, 13, DefaultTarget())
		if math.Abs(s.ServiceLevel-0.795595) > 1e-5 || math.Abs(s.WaitProbability-0.285270) > 1e-5 {
			t.Fatalf("13 agents: %+v", s)
		}
	})
	t.Run("R8_large_load_is_stable", func(t *testing.T) {
		// 20,000 Erlangs: A^n/n! overflows float64 long before this.
		load := Load{Calls: 240000, Interval: time.Hour, AHT: 300 * time.Second}
		s, err := AgentsFor(load, DefaultTarget())
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []float64{s.WaitProbability, s.ServiceLevel, s.Occupancy} {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > 1 {
				t.Fatalf("not a probability: %+v", s)
			}
		}
		if s.Agents <= 20000 || s.Agents > 20100 || s.ServiceLevel < 0.8 {
			t.Fatalf("%+v", s)
		}
		prev, _ := Evaluate(load, s.Agents-1, DefaultTarget())
		if prev.ServiceLevel >= 0.8 {
			t.Fatalf("%d agents suffice already: %+v", s.Agents-1, prev)
		}
		// Erlang B is a probability and falls as agents are added.
		last := 1.0
		for n := 19990; n < 20050; n++ {
			b := ErlangB(20000, n)
			if b <= 0 || b > last {
				t.Fatalf("ErlangB(20000, %d) = %v after %v", n, b, last)
			}
			last = b
		}
	})
	t.Run("invalid_input", func(t *testing.T) {
		for name, fn := range map[string]func() error{
			"zero interval": func() error { _, err := AgentsFor(Load{10, 0, time.Minute}, DefaultTarget()); return err },
			"negative calls": func() error {
				_, err := AgentsFor(Load{-1, time.Hour, time.Minute}, DefaultTarget())
				return err
			},
			"NaN calls": func() error {
				_, err := AgentsFor(Load{math.NaN(), time.Hour, time.Minute}, DefaultTarget())
				return err
			},
			"level 1": func() error {
				_, err := AgentsFor(Load{10, time.Hour, time.Minute}, Target{1, time.Second})
				return err
			},
			"absurd agents": func() error {
				_, err := Evaluate(Load{10, time.Hour, time.Minute}, 1<<40, DefaultTarget())
				return err
			},
			"negative agents": func() error {
				_, err := Evaluate(Load{10, time.Hour, time.Minute}, -1, DefaultTarget())
				return err
			},
		} {
			if err := fn(); !errors.Is(err, ErrInvalid) {
				t.Errorf("%s: %v", name, err)
			}
		}
	})
	t.Run("no_calls_no_agents", func(t *testing.T) {
		s, err := AgentsFor(Load{0, time.Hour, time.Minute}, DefaultTarget())
		if err != nil || s.Agents != 0 || s.ServiceLevel != 1 {
			t.Fatalf("%+v %v", s, err)
		}
	})
}

func TestCheckLoad(t *testing.T) {
	t.Run("R8_roster_against_hourly_profile", func(t *testing.T) {
		day := D(2026, 3, 2)
		as := seedRoster(day, 1, time.UTC)
		// Needs from the independent closed-form computation (see
		// TestAgentsFor): 30 calls/h of 6 min (3 Erlangs) need 6 at 80/20,
		// 4 calls/h need 2, 2 calls/h need 1. Staffed: a and b at noon, c
		// alone at 21:00, nobody at 22:00 (R2 gap), b alone once a ends
		// at 17:00 within 16:30-17:30.
		profile := []HourLoad{
			{Start: hm(day, 12, 0), Calls: 30},
			{Start: hm(day, 21, 0), Calls: 4},
			{Start: hm(day, 22, 0), Calls: 2},
			{Start: hm(day, 16, 30), Calls: 4},
		}
		fits, err := CheckLoad(profile, 6*time.Minute, DefaultTarget(), as, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := []struct{ need, staffed, short int }{{6, 2, 4}, {2, 1, 1}, {1, 0, 1}, {2, 1, 1}}
		for i, w := range want {
			f := fits[i]
			if f.Need != w.need || f.Staffed != w.staffed || f.Short != w.short {
				t.Errorf("hour %s: need %d staffed %d short %d, want %+v", f.Start.Format("15:04"), f.Need, f.Staffed, f.Short, w)
			}
		}
		// A handover at 17:00 (early ends, late starts) is no dip.
		handover := []Assignment{
			NewAssignment(seqIDs()(), "d", "e", Shift{Name: "early", Start: At(9, 0), End: At(17, 0)}, day, time.UTC),
			NewAssignment(seqIDs()(), "d", "l", Shift{Name: "late", Start: At(17, 0), End: At(22, 0)}, day, time.UTC),
		}
		hf, err := CheckLoad([]HourLoad{{Start: hm(day, 16, 30), Calls: 2}}, 6*time.Minute, DefaultTarget(), handover, nil, nil)
		if err != nil || hf[0].Staffed != 1 || hf[0].Short != 0 {
			t.Fatalf("handover hour: %+v %v", hf, err)
		}
		// One agent at 0.4 Erlangs: C = 0.4, SL = 1 - 0.4·e^(-0.6·20/360).
		if got, want := fits[1].Achieved.ServiceLevel, 1-0.4*math.Exp(-0.6*20/360); math.Abs(got-want) > 1e-9 {
			t.Errorf("achieved level at 21:00 = %v, want %v", got, want)
		}
		if fits[2].Achieved.ServiceLevel != 0 || fits[2].Achieved.WaitProbability != 1 {
			t.Errorf("nobody at 22:00 achieves %+v", fits[2].Achieved)
		}
	})
}
