package followup

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
)

// Sampling chooses complaint revisits (F5): at least Share of the
// complaints are revisited, and at least OnSite of those revisits are
// made on site with the customer's signature. The choice is a hash of
// the Salt and the trigger key, so it is reproducible, needs no shared
// state, and two derivers agree on it.
//
// Selected and OnSite decide one trigger at a time; over many triggers
// the shares approach Share and OnSite but a month may fall short by
// chance, which Check reports. Plan chooses over a known batch and meets
// the shares exactly (rounding up).
type Sampling struct {
	Share  float64 // F5: 0.10 of complaints revisited
	OnSite float64 // F5: 0.30 of the revisits on site and signed
	// Salt varies the choice between desks or runs (a random number, not
	// the seed regulations); the same Salt and key give the same choice.
	Salt uint64
}

// F5Sampling returns the seeds' shares: 10 % of complaints, 30 % of
// those on site with a signature.
func F5Sampling(salt uint64) Sampling { return Sampling{Share: 0.10, OnSite: 0.30, Salt: salt} }

// Validate reports shares outside [0, 1].
func (s Sampling) Validate() error {
	if !(s.Share >= 0 && s.Share <= 1) || !(s.OnSite >= 0 && s.OnSite <= 1) {
		return invalid("sampling", "shares %v and %v must lie between 0 and 1", s.Share, s.OnSite)
	}
	return nil
}

// Selected reports whether the trigger with that key is chosen for a
// revisit.
func (s Sampling) Selected(key string) bool { return unit(s.Salt, key, "select") < s.Share }

// OnSiteFor reports whether a chosen trigger's revisit is made on site
// with a signature.
func (s Sampling) OnSiteFor(key string) bool { return unit(s.Salt, key, "on_site") < s.OnSite }

// Plan chooses from a batch of keys: ceil(Share·n) of them for a revisit,
// and ceil(OnSite·k) of the k chosen on site. The choice depends only on
// the Salt and the keys, not their order.
func (s Sampling) Plan(keys []string) (revisit, onSite []string) {
	k := ceilShare(s.Share, len(keys))
	revisit = lowest(keys, k, func(key string) float64 { return unit(s.Salt, key, "select") })
	onSite = lowest(revisit, ceilShare(s.OnSite, len(revisit)), func(key string) float64 { return unit(s.Salt, key, "on_site") })
	return revisit, onSite
}

// SampleCheck is the F5 check of one month.
type SampleCheck struct {
	Complaints   int     `json:"complaints"`
	Revisits     int     `json:"revisits"`       // complaint revisits done
	OnSiteSigned int     `json:"on_site_signed"` // of them, on site with a signature
	RevisitShare float64 `json:"revisit_share"`
	OnSiteShare  float64 `json:"on_site_share"`
	Met          bool    `json:"met"`
}

// Check says whether a month met F5: revisits of at least Share of the
// complaints, and at least OnSite of those on site with a signature. A
// month without complaints meets it.
func (s Sampling) Check(complaints, revisits, onSiteSigned int) SampleCheck {
	c := SampleCheck{Complaints: complaints, Revisits: revisits, OnSiteSigned: onSiteSigned}
	c.RevisitShare = ratio(revisits, complaints)
	c.OnSiteShare = ratio(onSiteSigned, revisits)
	c.Met = revisits >= ceilShare(s.Share, complaints) && onSiteSigned >= ceilShare(s.OnSite, revisits)
	return c
}

// String summarises the check on one line.
func (c SampleCheck) String() string {
	return fmt.Sprintf("F5 complaints %d, revisited %d (%.1f%%), on site signed %d (%.1f%%), met %v",
		c.Complaints, c.Revisits, 100*c.RevisitShare, c.OnSiteSigned, 100*c.OnSiteShare, c.Met)
}

// ceilShare is the least count that is at least share of n, tolerant of
// float noise (0.3·10 is 3, not 4).
func ceilShare(share float64, n int) int {
	v := share * float64(n)
	k := int(math.Ceil(v - 1e-9))
	return max(0, min(k, n))
}

// floorShare is share of n rounded down, tolerant of float noise (0.3·10
// is 3, not 2).
func floorShare(share float64, n int) int {
	v := share * float64(n)
	k := int(math.Floor(v + 1e-9))
	return max(0, min(k, n))
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// unit hashes salt, key and purpose to a number in [0, 1).
func unit(salt uint64, key, purpose string) float64 {
	h := fnv.New64a()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], salt)
	h.Write(b[:])
	h.Write([]byte(purpose))
	h.Write([]byte{0})
	h.Write([]byte(key))
	x := h.Sum64()
	// splitmix64 finaliser: spreads FNV's weak low bits.
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return float64(x>>11) / (1 << 53)
}

// lowest returns the k keys with the lowest scores, ties by key.
func lowest(keys []string, k int, score func(string) float64) []string {
	type scored struct {
		key string
		v   float64
	}
	all := make([]scored, len(keys))
	for i, key := range keys {
		all[i] = scored{key, score(key)}
	}
	slices.SortFunc(all, func(a, b scored) int {
		switch {
		case a.v < b.v:
			return -1
		case a.v > b.v:
			return 1
		}
		return compareStrings(a.key, b.key)
	})
	out := make([]string, 0, k)
	for _, s := range all[:k] {
		out = append(out, s.key)
	}
	return out
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
