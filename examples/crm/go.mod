module github.com/servicedesk-go/desk/examples/crm

go 1.26.0

require (
	github.com/getkin/kin-openapi v0.153.0
	github.com/go-json-experiment/json v1.27.2
	github.com/golang-jwt/jwt/v5 v5.3.1
	github.com/google/uuid v1.6.0
	github.com/jackc/pgx/v5 v5.12.0
	github.com/servicedesk-go/desk v0.1.0
	github.com/servicedesk-go/desk/store/postgres v0.1.0
	github.com/servicedesk-go/desk/store/sqlite v0.1.0
)
