//go:build !linux

package lintbench

import "time"

func threadCPU() (time.Duration, bool) { return 0, false }
