//go:build !linux

package phrasebooktest

import "time"

// ThreadCPU returns the CPU time the calling OS thread has used, and
// whether the platform tells: not on this platform.
func ThreadCPU() (time.Duration, bool) { return 0, false }
