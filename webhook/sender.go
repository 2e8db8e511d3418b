package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"

	"github.com/servicedesk-go/desk/observe"
	"github.com/servicedesk-go/desk/ticket"
)

// Config configures a Sender. Zero values are the defaults.
type Config struct {
	// URL is the receiver's endpoint, http or https.
	URL string
	// Secrets sign every request; two during a rotation. At least one;
	// none may be empty.
	Secrets []string
	// Consumer is the sender's outbox consumer name; "" means "webhook".
	Consumer string
	// Desk scopes the outbox; "" reads every desk (a system consumer).
	Desk string
	// Client sends the requests; nil means a client with a 10 s timeout.
	// Its redirect policy is replaced: only 307 and 308 to the same
	// scheme and host are followed.
	Client *http.Client
	// Attempts is how often one Flush tries an event that fails
	// transiently; 0 means 5.
	Attempts int
	// MinBackoff and MaxBackoff bound the wait before a retry: it doubles
	// from MinBackoff up to MaxBackoff, and a random part of up to half
	// of it is taken off (jitter). 0 means 200 ms and 10 s.
	MinBackoff, MaxBackoff time.Duration
	// Batch is how many events one outbox read returns; 0 means 50.
	Batch int
	// AnswerLimit bounds the answer kept with a dead letter; 0 means 1 KiB.
	AnswerLimit int
	// DeadLetters keeps refused events; nil means a MemDeadLetters.
	DeadLetters DeadLetters
	// Now is the clock for the signed timestamps; nil means time.Now.
	Now func() time.Time
	// Sleep waits between attempts; nil means a timer that honours ctx.
	Sleep func(ctx context.Context, d time.Duration) error
	// Rand returns a number in [0, 1) for the jitter; nil means math/rand/v2.
	Rand func() float64
	// Logger receives retries, refusals and failures (event ID, desk,
	// action, status; never the body, and the endpoint only by scheme
	// and host); nil means no logging.
	Logger *slog.Logger
	// Observer receives a report per attempt (Op Deliver, Kind the
	// event's action, Outcome "delivered", "parked", "retry" or
	// "failed"); nil means none.
	Observer observe.Observer
}

// Sender delivers a desk's outbox events to one endpoint. It is safe for
// concurrent use, but Flush calls of one sender should not overlap (they
// would deliver the same events twice); a runner serialises them.
type Sender struct {
	outbox      ticket.Outbox
	url         string
	shown       string // url as errors and logs show it (shownURL)
	signer      *Signer
	consumer    string
	desk        string
	client      *http.Client
	attempts    int
	minB, maxB  time.Duration
	batch       int
	answerLimit int
	dead        DeadLetters
	now         func() time.Time
	sleep       func(ctx context.Context, d time.Duration) error
	rand        func() float64
	log         *slog.Logger
	obs         observe.Observer
}

// New returns a sender reading the given outbox.
func New(outbox ticket.Outbox, cfg Config) (*Sender, error) {
	if outbox == nil {
		return nil, fmt.Errorf("%w: an outbox is required", ErrInvalid)
	}
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%w: URL %q is not an absolute http or https URL", ErrInvalid, cfg.URL)
	}
	signer, err := NewSigner(cfg.Secrets...)
	if err != nil {
		return nil, err
	}
	if cfg.Attempts < 0 || cfg.MinBackoff < 0 || cfg.MaxBackoff < 0 || cfg.Batch < 0 || cfg.AnswerLimit < 0 {
		return nil, fmt.Errorf("%w: Attempts, MinBackoff, MaxBackoff, Batch and AnswerLimit cannot be negative", ErrInvalid)
	}
	s := &Sender{outbox: outbox, url: u.String(), shown: shownURL(u), signer: signer, consumer: cfg.Consumer, desk: cfg.Desk,
		attempts: cfg.Attempts, minB: cfg.MinBackoff, maxB: cfg.MaxBackoff, batch: cfg.Batch, answerLimit: cfg.AnswerLimit,
		dead: cfg.DeadLetters, now: cfg.Now, sleep: cfg.Sleep, rand: cfg.Rand, log: cfg.Logger, obs: cfg.Observer}
	if s.consumer == "" {
		s.consumer = "webhook"
	}
	client := http.Client{Timeout: 10 * time.Second}
	if cfg.Client != nil {
		client = *cfg.Client
	}
	client.CheckRedirect = sameHost
	s.client = &client
	if s.attempts == 0 {
		s.attempts = 5
	}
	if s.minB == 0 {
		s.minB = 200 * time.Millisecond
	}
	if s.maxB == 0 {
		s.maxB = 10 * time.Second
	}
	s.maxB = max(s.maxB, s.minB)
	if s.batch == 0 {
		s.batch = 50
	}
	if s.answerLimit == 0 {
		s.answerLimit = 1 << 10
	}
	if s.dead == nil {
		s.dead = NewMemDeadLetters()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.sleep == nil {
		s.sleep = sleepCtx
	}
	if s.rand == nil {
		s.rand = rand.Float64
	}
	if s.log == nil {
		s.log = discard
	}
	return s, nil
}

// DeadLetters returns the list refused events are parked in.
func (s *Sender) DeadLetters() DeadLetters { return s.dead }

// Result counts what one Flush settled.
type Result struct {
	Delivered int // answered 2xx and acknowledged
	Parked    int // refused, parked in the dead-letter list and acknowledged
}

// Flush delivers pending events in outbox order until none is left. A
// refused event is parked and delivery goes on; an event that fails
// transiently on every attempt ends the Flush with ErrUndelivered and
// stays pending, with the ones after it, for the next Flush.
func (s *Sender) Flush(ctx context.Context) (Result, error) {
	var total Result
	for {
		r, err := s.Send(ctx, s.batch)
		total.Delivered += r.Delivered
		total.Parked += r.Parked
		if err != nil || r.Delivered+r.Parked == 0 {
			return total, err
		}
	}
}

// Send settles up to limit pending events (one outbox read), as Flush
// does, and returns; a runner calls it so that a stop takes effect
// between batches.
func (s *Sender) Send(ctx context.Context, limit int) (Result, error) {
	var r Result
	batch, err := s.outbox.Pending(ctx, s.consumer, s.desk, max(1, limit))
	if err != nil {
		return r, err
	}
	for _, e := range batch {
		parked, err := s.settle(ctx, e)
		if err != nil {
			return r, err
		}
		if err := s.outbox.Ack(ctx, s.consumer, s.desk, e.ID); err != nil {
			return r, err
		}
		if parked {
			r.Parked++
		} else {
			r.Delivered++
		}
	}
	return r, nil
}

// refusal is an answer that retrying will not change.
type refusal struct {
	status int
	answer string
}

func (r *refusal) Error() string { return fmt.Sprintf("refused with %d: %s", r.status, r.answer) }

// settle delivers one event or parks it; an error leaves it pending.
func (s *Sender) settle(ctx context.Context, e ticket.Event) (parked bool, err error) {
	body, err := ticket.MarshalEvent(e)
	if err != nil {
		return false, err
	}
	var last error
	for n := 1; n <= s.attempts; n++ {
		if n > 1 {
			wait := s.backoff(n - 1)
			s.log.WarnContext(ctx, "webhook: delivery failed; retrying", "event", e.ID, "desk", e.Desk,
				"action", e.Action, "attempt", n-1, "wait", wait, "err", last)
			if err := s.sleep(ctx, wait); err != nil {
				return false, err
			}
		}
		var start time.Time
		if s.obs != nil {
			start = time.Now()
		}
		last = s.post(ctx, e, body)
		var ref *refusal
		if s.obs != nil {
			s.observe(ctx, e, start, last, n)
		}
		switch {
		case last == nil:
			return false, nil
		case errors.As(last, &ref):
			s.log.WarnContext(ctx, "webhook: delivery refused; parked", "event", e.ID, "desk", e.Desk,
				"action", e.Action, "status", ref.status)
			d := DeadLetter{Event: e, Status: ref.status, Answer: ref.answer, At: s.now(), Attempts: n}
			if err := s.dead.Park(ctx, d); err != nil {
				return false, fmt.Errorf("webhook: parking %s: %w", e.ID, err)
			}
			return true, nil
		case ctx.Err() != nil:
			return false, ctx.Err()
		}
	}
	s.log.ErrorContext(ctx, "webhook: delivery failed; left in the outbox", "event", e.ID, "desk", e.Desk,
		"action", e.Action, "attempts", s.attempts, "err", last)
	return false, fmt.Errorf("%w: %s after %d attempts: %v", ErrUndelivered, e.ID, s.attempts, last)
}

func (s *Sender) observe(ctx context.Context, e ticket.Event, start time.Time, err error, attempt int) {
	var ref *refusal
	outcome := "delivered"
	switch {
	case errors.As(err, &ref):
		outcome = "parked"
	case ctx.Err() != nil:
		outcome = observe.Canceled
	case err != nil && attempt < s.attempts:
		outcome = "retry"
	case err != nil:
		outcome = observe.Failed
	}
	s.obs.Observe(ctx, observe.Report{Op: observe.Deliver, Desk: e.Desk, Kind: string(e.Action),
		Outcome: outcome, Start: start, Duration: time.Since(start), Count: 1})
}

// post makes one attempt: nil on 2xx, a *refusal for an answer that
// retrying will not change, any other error for a transient failure.
func (s *Sender) post(ctx context.Context, e ticket.Event, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	s.signer.SetHeaders(req.Header, e.ID.String(), s.now(), body)
	resp, err := s.client.Do(req)
	if err != nil {
		// Timeouts and network errors are transient. Their text names
		// the URL, which errors and logs show without its path and
		// query: receivers put tokens there.
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = s.shown
		}
		return err
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, int64(s.answerLimit)))
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // reuse the connection
	code := resp.StatusCode
	switch {
	case code >= 200 && code < 300:
		return nil
	case code >= 300 && code < 400:
		return &refusal{status: code, answer: "redirect to " + resp.Header.Get("Location") + " not followed"}
	case code >= 500, code == http.StatusRequestTimeout, code == http.StatusTooManyRequests:
		return fmt.Errorf("receiver answered %s", resp.Status)
	default:
		return &refusal{status: code, answer: string(answer)}
	}
}

// shownURL is the endpoint as errors and logs name it: its scheme and
// host, and "/..." for a path or query, which may hold a token (user
// information is dropped too).
func shownURL(u *url.URL) string {
	shown := u.Scheme + "://" + u.Host
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		shown += "/..."
	}
	return shown
}

// sameHost follows a redirect only when it keeps the method and body
// (307, 308) and the scheme and host; otherwise the 3xx is the answer.
func sameHost(req *http.Request, via []*http.Request) error {
	first := via[0]
	if len(via) >= 5 || req.URL.Scheme != first.URL.Scheme || req.URL.Host != first.URL.Host ||
		(req.Response != nil && req.Response.StatusCode != http.StatusTemporaryRedirect &&
			req.Response.StatusCode != http.StatusPermanentRedirect) {
		return http.ErrUseLastResponse
	}
	return nil
}

// backoff is the wait before retry n (1-based): MinBackoff·2ⁿ⁻¹ up to
// MaxBackoff, less a random part of up to half of it.
func (s *Sender) backoff(n int) time.Duration {
	d := s.minB
	for i := 1; i < n && d < s.maxB; i++ {
		d *= 2
	}
	d = min(d, s.maxB)
	return d - time.Duration(s.rand()*float64(d/2))
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Desk returns the desk whose outbox the sender reads ("" for all).
func (s *Sender) Desk() string { return s.desk }
