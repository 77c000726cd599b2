/* SPDX-License-Identifier: MIT */
/**
 * @file json.h
 * @brief Writing the one-line JSON objects udsim prints, one field at a time.
 *
 * ```
 * ud_json_begin(out, "setup", 12);      // {"op":"setup","line":12
 * ud_json_str(out, "status", "ok");     // ,"status":"ok"
 * ud_json_hex(out, "data", buf, n);     // ,"data":"1201..."
 * ud_json_end(out);                     // }\n
 * ```
 */
#ifndef UD_SIM_JSON_H
#define UD_SIM_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

void ud_json_begin(FILE *out, const char *op, unsigned line);
void ud_json_str(FILE *out, const char *key, const char *value);
void ud_json_int(FILE *out, const char *key, long value);
void ud_json_bool(FILE *out, const char *key, bool value);
void ud_json_hex(FILE *out, const char *key, const uint8_t *data, unsigned len);
void ud_json_end(FILE *out);

/** Write @p s as a JSON string literal, quotes included. */
void ud_json_quote(FILE *out, const char *s);

#endif /* UD_SIM_JSON_H */
