/* SPDX-License-Identifier: MIT */
#include "udcore/ud_status.h"

const char *ud_status_name(int status)
{
	switch (status) {
	case UD_OK:
		return "ok";
	case UD_ERR_INVAL:
		return "invalid";
	case UD_ERR_STATE:
		return "state";
	case UD_ERR_BUSY:
		return "busy";
	case UD_ERR_NOSPACE:
		return "nospace";
	case UD_ERR_NOTSUP:
		return "notsup";
	case UD_ERR_NOENT:
		return "noent";
	case UD_ERR_CANCELLED:
		return "cancelled";
	case UD_ERR_SHUTDOWN:
		return "shutdown";
	case UD_ERR_OVERTAKEN:
		return "overtaken";
	case UD_ERR_OVERFLOW:
		return "overflow";
	case UD_ERR_IO:
		return "io";
	default:
		return "unknown";
	}
}
