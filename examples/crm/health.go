package main

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// healthz is liveness: the process serves HTTP. It checks nothing else,
// so a database outage does not get replicas restarted in a loop.
func (s *server) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz is readiness: the store is reachable and its schema at the
// version this build expects (Config.Ready), and no shutdown has begun.
// Not ready is 503 with Retry-After and the reason.
func (s *server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.draining.Load() {
		w.Header().Set("Retry-After", "5")
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "shutting down"})
		return
	}
	if s.cfg.Ready != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := s.cfg.Ready(ctx); err != nil {
			s.log.Warn("not ready", "err", err)
			// /readyz needs no credentials: the reason it gives names no
			// host, user or database (notReady); the log has the rest.
			reason := "see the service's log"
			var nr *notReady
			if errors.As(err, &nr) {
				reason = nr.public
			}
			w.Header().Set("Retry-After", "5")
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "not ready", "reason": reason})
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
