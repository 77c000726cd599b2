/* SPDX-License-Identifier: MIT */
/**
 * @file script.h
 * @brief The udsim script interpreter: one command per line, one JSON object per action.
 *
 * The language is documented in docs/udsim.md. A run stops at the first line that does not
 * parse (unknown command, malformed number); a failed `expect` is reported and the run goes on.
 */
#ifndef UD_SIM_SCRIPT_H
#define UD_SIM_SCRIPT_H

#include <stdbool.h>
#include <stdio.h>

#include "host.h"

struct ud_world;

/** Exit codes of a script run (and of `udsim run`). */
enum ud_script_exit {
	UD_EXIT_OK = 0,
	UD_EXIT_EXPECT = 1, /**< at least one `expect` did not match */
	UD_EXIT_USAGE = 2,  /**< bad command line (udsim.c) */
	UD_EXIT_SCRIPT = 3, /**< the script is malformed or unreadable, or the world failed */
};

/** Longest script line: a data argument of UD_SIM_DATA_MAX bytes in hex, plus the rest. */
#define UD_SCRIPT_LINE_MAX (2 * UD_SIM_DATA_MAX + 256)

/** Most words on one line. */
#define UD_SCRIPT_MAX_ARGS 12

struct ud_script {
	struct ud_world *w;
	FILE *out;
	const char *name; /**< script name for messages on stderr */
	unsigned line;
	/* The previous action: what `expect` checks. */
	struct ud_sim_result last;
	const char *last_op;
	unsigned last_line;
	bool have_last;
	unsigned expect_failures;
	unsigned parse_errors;
	uint8_t data[UD_SIM_DATA_MAX]; /**< a parsed data argument */
};

/** A script command: @p run gets the words after the command name. */
struct ud_script_cmd {
	const char *name;
	unsigned min_args, max_args;
	const char *usage;
	/** @return false if it reported a parse error (the run then stops). */
	bool (*run)(struct ud_script *s, int argc, char **argv);
};

void ud_script_init(struct ud_script *s, struct ud_world *w, FILE *out, const char *name);

/** @brief Run every line of @p in. @return an enum ud_script_exit code. */
int ud_script_run(struct ud_script *s, FILE *in);

/** @brief Run one line (without its newline). @return false on a parse error. */
bool ud_script_line(struct ud_script *s, char *line);

/** @brief The exit code for what happened so far. */
int ud_script_exit_code(const struct ud_script *s);

/* --- for command implementations (script_cmds.c) --- */

/** The command called @p name, or NULL. */
const struct ud_script_cmd *ud_script_cmd_find(const char *name);

/** Report a parse error on the current line (JSON on the output, a line on stderr). */
bool ud_script_parse_error(struct ud_script *s, const char *fmt, ...) UD_SIM_PRINTF(2, 3);

/** `expect STATUS [DATAHEX]` (script_expect.c). */
bool ud_script_cmd_expect(struct ud_script *s, int argc, char **argv);

/** Which fields of `last` ud_script_report() prints besides status and message. */
enum {
	UD_REPORT_LEN = 0x01,
	UD_REPORT_DATA = 0x02,
	UD_REPORT_PID = 0x04,
	UD_REPORT_OPEN = 0x08, /**< leave the object open for more fields (close: ud_json_end) */
};

/** Print `s->last` as the result of @p op and remember it for `expect`. */
void ud_script_report(struct ud_script *s, const char *op, unsigned fields);

/* Argument parsing; each reports its own parse error and returns false. */
bool ud_script_hex(struct ud_script *s, const char *tok, unsigned long max, const char *what,
                   unsigned long *out);
/** Hex bytes, or "-" for none, into s->data. */
bool ud_script_data(struct ud_script *s, const char *tok, uint16_t *len);
/** An endpoint number (0..15) or address whose direction bit matches @p in. */
bool ud_script_ep(struct ud_script *s, const char *tok, bool in, uint8_t *epnum);

#endif /* UD_SIM_SCRIPT_H */
