//go:build (amd64 || arm64) && !purego

package followup

import "unsafe"

// prefetch asks the processor to start loading the n bytes at p into its
// caches and returns without waiting for them: a load that misses the
// cache would stall the core until memory answers, where a prefetch lets
// it get on with other work meanwhile.
//
//go:noescape
func prefetch(p unsafe.Pointer, n uintptr)
