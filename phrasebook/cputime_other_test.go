//go:build !linux

package phrasebook

import "time"

func threadCPU() (time.Duration, bool) { return 0, false }
