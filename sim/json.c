/* SPDX-License-Identifier: MIT */
/* One-line JSON output. See json.h. */
#include "json.h"

void ud_json_quote(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

void ud_json_begin(FILE *out, const char *op, unsigned line)
{
	fputs("{\"op\":", out);
	ud_json_quote(out, op);
	fprintf(out, ",\"line\":%u", line);
}

void ud_json_str(FILE *out, const char *key, const char *value)
{
	fprintf(out, ",\"%s\":", key);
	ud_json_quote(out, value);
}

void ud_json_int(FILE *out, const char *key, long value)
{
	fprintf(out, ",\"%s\":%ld", key, value);
}

void ud_json_bool(FILE *out, const char *key, bool value)
{
	fprintf(out, ",\"%s\":%s", key, value ? "true" : "false");
}

void ud_json_hex(FILE *out, const char *key, const uint8_t *data, unsigned len)
{
	unsigned i;

	fprintf(out, ",\"%s\":\"", key);
	for (i = 0; i < len; i++)
		fprintf(out, "%02x", data[i]);
	fputc('"', out);
}

void ud_json_end(FILE *out)
{
	fputs("}\n", out);
	fflush(out);
}
