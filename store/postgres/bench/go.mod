module github.com/servicedesk-go/desk/store/postgres/bench

go 1.26

require (
	github.com/go-json-experiment/json v1.27.2 // indirect
	github.com/google/uuid v1.6.0
	github.com/jackc/pgx/v5 v5.12.0
	github.com/riverqueue/river v0.47.0
	github.com/riverqueue/river/riverdriver/riverpgxv5 v0.47.0
	github.com/servicedesk-go/desk v0.1.0
	github.com/servicedesk-go/desk/store/postgres v0.1.0
)
