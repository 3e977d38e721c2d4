# Shell settings for the examples in README.md and docs/, pointing at the demo registry.
#
# Start the demo in one terminal (`.venv/bin/registry serve --demo`), then, in a second
# terminal, from the project folder:   . docs/examples/demo-env.sh
# Variables already set are kept, so the same lines serve a registry running elsewhere.

export PATH="$PWD/.venv/bin:$PATH"                               # the `registry` command
export REGISTRY_DATA_DIR="${REGISTRY_DATA_DIR:-$PWD/data}"        # where the demo keeps its data
export REGISTRY_BASE_URL="${REGISTRY_BASE_URL:-http://127.0.0.1:8000}"
export BASE="$REGISTRY_BASE_URL"                                  # short, for curl
export EXAMPLES="$PWD/docs/examples"                              # the sample files

# token NAME: one of the demo's bearer tokens: admin, issuer:<USCC>, partner:<region code>
token() {
  python3 -c 'import json, os, sys
path = os.path.join(os.environ["REGISTRY_DATA_DIR"], "demo-tokens.json")
print(json.load(open(path, encoding="utf-8"))[sys.argv[1]])' "$1"
}

# json_field PATH < FILE: one field of a JSON document (dots between levels, numbers index
# lists), printed as text, or as JSON when it is an object or a list
json_field() {
  python3 -c 'import json, sys
value = json.load(sys.stdin)
for key in sys.argv[1].split("."):
    value = value[int(key)] if isinstance(value, list) else value[key]
print(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))' "$1"
}
