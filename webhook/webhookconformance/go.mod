module github.com/servicedesk-go/desk/webhook/webhookconformance

go 1.26

require (
	github.com/servicedesk-go/desk v0.1.0
	github.com/standard-webhooks/standard-webhooks/libraries v0.0.1
)

require (
	github.com/google/uuid v1.6.0 // indirect
	github.com/looplab/fsm v1.0.3 // indirect
)
