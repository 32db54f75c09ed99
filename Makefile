# Shallow neural networks from scratch: every command a student, an instructor
# or CI needs. Each target bootstraps .venv on first use (only python3 needed).
# `make help` lists them.

PYTHON3 ?= python3
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
RUFF    := $(VENV)/bin/ruff
COURSE  := $(PY) -m coursekit
ASSIGNMENT ?=
# Per-cell time limit (seconds) when grading student notebooks.
TIMEOUT ?= 30
# The demo's endless loop should not keep a first-time visitor waiting.
DEMO_TIMEOUT ?= 10
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
PORT    ?= 8888
SANDBOX ?= 1
# Fabricated students per assignment for make bench-grade.
STUDENTS ?= 40
# The course's JupyterHub (make hub): its folder, public port and roster.
HUB_DIR ?= $(CURDIR)/build/hub
HUB_PORT ?= 8000
ROSTER  ?= lib/coursekit/hub_files/demo_roster.csv
# make grade / make feedback use a roster only when one is named (ROSTER=… on the command line or in the environment).
GRADE_ROSTER = $(if $(filter command line environment,$(origin ROSTER)),--roster $(ROSTER))
HUB     := $(PY) -m coursekit.hub --hub-dir $(HUB_DIR)
# make test-hub's folder (hub-test/ and the shared hub/env, hub/proxy): must be world-traversable, so the
# repository's build/ when every folder above it is, otherwise a folder of /var/tmp (a clone under a 0700 /root).
HUB_BASE_DEFAULT := $(shell d="$(CURDIR)"; ok=1; while [ "$$d" != / ]; do \
  [ -n "$$(find "$$d" -maxdepth 0 -perm -o+x)" ] || ok=0; d=$$(dirname "$$d"); done; \
  if [ $$ok = 1 ]; then echo "$(CURDIR)/build"; else echo /var/tmp/shallownet-hub-build; fi)
HUB_BASE ?= $(HUB_BASE_DEFAULT)
HUB_GRADING = --jobs $(JOBS) --timeout $(TIMEOUT) $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT)) $(if $(filter 0,$(SANDBOX)),--no-sandbox)
# apt-get needs root: use sudo when not root (GitHub runners), nothing when root (CI here).
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.DEFAULT_GOAL := help
.PHONY: help venv lab test release solutions grade demo bench bench-grade \
        bench-widgets test-browser test-graders browser-deps lint lint-fix clean hub hub-users hub-release \
        hub-collect hub-feedback hub-down test-hub student-bundle export collect-zip feedback

help:  ## List every target with one line each
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON3) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

venv: $(STAMP)  ## Create or refresh .venv with the pinned packages and the course library

# ruff, mypy and pre-commit (requirements-dev.txt), installed together with the course's pins
$(DEV_STAMP): requirements-dev.txt requirements.txt $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	@touch $@

lab: $(STAMP)  ## Open JupyterLab on the course (nbgrader, widgets, formgrader at /formgrader)
	$(COURSE) lab --port $(PORT)

test: lint $(STAMP)  ## Run make lint, then the whole test suite (library, notebooks, graders, release/grade round trip)
	$(PY) -m pytest -q --ignore=tests/browser --ignore=tests/hub

test-graders: $(STAMP)  ## Grade EVERY wrong answer of tests/catalogue/ with the real nbgrader (CI runs it)
	SHALLOWNET_FULL_CATALOGUE=1 $(PY) -m pytest -q tests/test_catalogue.py

release: $(STAMP)  ## Regenerate release/ (student notebooks) from source/ with nbgrader
	$(COURSE) release $(ASSIGNMENT)

solutions: $(STAMP)  ## Regenerate solutions/ (answer key, executed) from source/
	$(COURSE) solutions $(ASSIGNMENT)

grade: $(STAMP)  ## Autograde submitted/, write feedback/ and grades.csv, print the table (ASSIGNMENT=, TIMEOUT=, JOBS=, ROSTER=)
	$(COURSE) grade --timeout $(TIMEOUT) --jobs $(JOBS) $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT)) $(if $(filter 0,$(SANDBOX)),--no-sandbox) $(GRADE_ROSTER)

feedback: grade  ## After hand grading: make grade (nothing unchanged graded again), then the LMS exports if ROSTER= is given
	$(if $(GRADE_ROSTER),$(PY) -m coursekit.exports --roster $(ROSTER),@echo "no ROSTER= given: grades.csv and feedback/ updated, no LMS export")

demo: $(STAMP)  ## Whole cycle on a fabricated class in build/demo: release, submit, grade, table
	$(COURSE) demo --timeout $(DEMO_TIMEOUT) --jobs $(JOBS) $(if $(filter 0,$(SANDBOX)),--no-sandbox)

bench: $(STAMP)  ## Library speed against scikit-learn's MLPClassifier (prints the ratio)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-extra.txt
	$(PY) -m coursekit.bench_library

bench-grade: $(STAMP)  ## Grading speed: seconds per notebook against the kernel floor, serial vs parallel (STUDENTS=40)
	$(COURSE) bench-grade --students $(STUDENTS) --jobs $(JOBS)

bench-widgets: $(STAMP)  ## Median and 95th-percentile redraw time of every widget
	$(PY) -m coursekit.bench_widgets

browser-deps: $(STAMP)  ## Install Debian's chromium and the playwright package (no browser download)
	@command -v chromium >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium chromium-driver)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-extra.txt

test-browser: browser-deps  ## Every notebook in a real JupyterLab in headless Chromium: widgets move, Validate works
	$(PY) -m pytest -q tests/browser

lint: $(DEV_STAMP)  ## ruff check, ruff format --check, mypy on lib/, source/ notebooks normalised (all run; fails on any finding)
	@status=0; \
	echo "ruff check ."; $(RUFF) check . || status=1; \
	echo "ruff format --check ."; $(RUFF) format --check . || status=1; \
	echo "mypy (lib/)"; $(VENV)/bin/mypy || status=1; \
	echo "python -m coursekit.normalise --check"; $(PY) -m coursekit.normalise --check || status=1; \
	exit $$status

lint-fix: $(DEV_STAMP)  ## Apply ruff's automatic fixes and formatting, normalise source/ notebooks, list what is left by file
	$(RUFF) check --fix --exit-zero --silent .
	$(RUFF) format .
	$(PY) -m coursekit.normalise
	@echo "left for a hand fix, by rule (ruff):"; $(RUFF) check --statistics --exit-zero .
	@echo "left for a hand fix, by file (ruff):"; \
	  $(RUFF) check --exit-zero --quiet --output-format concise . | cut -d: -f1 | sort | uniq -c | sort -rn
	@echo "left for a hand fix, by file (mypy):"; \
	  $(VENV)/bin/mypy | grep -E '^[^ ]+\.py:[0-9]+: error' | cut -d: -f1 | sort | uniq -c | sort -rn || true
hub: $(STAMP)  ## The course on a real JupyterHub, 127.0.0.1:8000 (HUB_PORT=; root; creates the roster's users; Ctrl-C stops)
	$(HUB) up --roster $(ROSTER) --port $(HUB_PORT)

hub-users: $(STAMP)  ## Check ROSTER=file.csv and create its students, instructor and the grader account (root)
	$(HUB) users --roster $(ROSTER)

hub-release: $(STAMP)  ## Release one assignment (ASSIGNMENT=) or all to the hub's exchange
	$(HUB) release $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT))

hub-collect: $(STAMP)  ## Collect the hub's submissions, grade them sandboxed (as make grade), grades.csv in HUB_DIR/course
	$(HUB) collect $(HUB_GRADING)

hub-feedback: $(STAMP)  ## Feedback with the formgrader's hand-given points, released to the students (Fetch Feedback)
	$(HUB) feedback $(HUB_GRADING)

hub-down: $(STAMP)  ## Remove the hub's course accounts, exchange, course folder and state (keeps env/ and proxy/)
	$(HUB) down

test-hub: browser-deps  ## A whole term on a fresh hub in headless Chromium (root; about 2-4 min)
	SHALLOWNET_HUB_BASE=$(HUB_BASE) $(PY) -m pytest -q tests/hub
	SHALLOWNET_HUB_BASE=$(HUB_BASE) SHALLOWNET_REQUIRE_HUB_ENV=1 $(PY) -m pytest -q tests/test_student_bundle.py

export: $(STAMP)  ## Canvas and Moodle grade-import CSVs from grades.csv and ROSTER= (EXPORT_ROOT= for the hub's course)
	$(PY) -m coursekit.exports --roster $(ROSTER) $(if $(EXPORT_ROOT),--root $(EXPORT_ROOT))

collect-zip: $(STAMP)  ## A Canvas or Moodle download archive into submitted/ (ZIP=, ASSIGNMENT=, ROSTER=)
	@test -n "$(ZIP)" -a -n "$(ASSIGNMENT)" || (echo "usage: make collect-zip ZIP=submissions.zip ASSIGNMENT=01_forward_pass ROSTER=roster.csv"; exit 2)
	$(PY) -m coursekit.lmszip $(ZIP) --assignment $(ASSIGNMENT) --roster $(ROSTER)

student-bundle: $(STAMP)  ## build/student-bundle/: release/, the library as a package and a README (what students get)
	$(PY) -c "from coursekit.bundle import build; build()"

clean:  ## Remove nbgrader working folders, gradebook and build products (keeps .venv)
	rm -rf build autograded feedback downloaded canvas-grades.csv moodle-grades.csv gradebook.db gradebook.db-journal gradebook.db-wal gradebook.db-shm grades.csv
