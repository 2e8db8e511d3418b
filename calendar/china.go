package calendar

import (
	"bytes"
	_ "embed"
	"fmt"
	"sync"
)

//go:embed data/cn.json
var chinaJSON []byte

var china = sync.OnceValues(func() (*Schedule, error) { return LoadJSON(bytes.NewReader(chinaJSON)) })

// China returns the public-holiday arrangements of mainland China as the
// General Office of the State Council published them (国务院办公厅关于
// 部分节假日安排的通知), one per year (covered years: 2004–2026): from 2004,
// the first year whose notice could be read in full (2004–2007 under the
// 1999 regulations: 元旦, 春节, 五一, 十一; from 2008 under the 2007
// revision), to the latest year published when this release was made:
// see Years. The data is data/cn.json in this package, checked against
// the notices and day by day against independent datasets in the tests.
// A later year is added with LoadJSON or LoadICal and Merge; a year that
// is not covered is ErrNotCovered, never a guess.
func China() *Schedule {
	s, err := china()
	if err != nil {
		// The embedded file is checked by the tests; this is a broken build.
		panic(fmt.Sprintf("calendar: embedded China schedule: %v", err))
	}
	return s
}
