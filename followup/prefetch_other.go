//go:build (!amd64 && !arm64) || purego

package followup

import "unsafe"

// prefetch does nothing where the store has no assembly for it.
func prefetch(p unsafe.Pointer, n uintptr) {}
