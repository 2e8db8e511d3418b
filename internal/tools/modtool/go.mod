module github.com/servicedesk-go/desk/internal/tools/modtool

go 1.26.0

require golang.org/x/mod v0.42.0
