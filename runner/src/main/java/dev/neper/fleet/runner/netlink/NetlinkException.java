package dev.neper.fleet.runner.netlink;

import dev.neper.fleet.runner.sys.SysCallException;

/**
 * A netlink request the kernel refused: the request's name, the errno, and the extended ack as the
 * kernel sent it (its message text verbatim, the bad attribute's offset in the request and, when the
 * request builder labelled it, that attribute's name; a missing attribute's type).
 */
public final class NetlinkException extends SysCallException {
    private final ErrorReply reply;
    private final String badAttribute;

    public NetlinkException(String request, ErrorReply reply, String badAttribute) {
        super(request, -reply.error(), detail(reply, badAttribute));
        this.reply = reply;
        this.badAttribute = badAttribute;
    }

    private static String detail(ErrorReply reply, String badAttribute) {
        StringBuilder s = new StringBuilder();
        if (reply.message() != null) {
            s.append('"').append(reply.message()).append('"');
        }
        if (reply.badAttributeOffset() != null) {
            append(s, "bad attribute " + (badAttribute != null ? badAttribute + " " : "") + "at offset "
                    + reply.badAttributeOffset());
        }
        if (reply.missingType() != null) {
            append(s, "missing attribute type " + reply.missingType()
                    + (reply.missingNest() != null ? " in the nest at offset " + reply.missingNest() : ""));
        }
        return s.toString();
    }

    private static void append(StringBuilder s, String part) {
        if (!s.isEmpty()) {
            s.append("; ");
        }
        s.append(part);
    }

    /** The kernel's extended-ack text, or null when it sent none. */
    public String extackMessage() {
        return reply.message();
    }

    public Integer badAttributeOffset() {
        return reply.badAttributeOffset();
    }

    /** The name the request gave the attribute at the bad-attribute offset, or null. */
    public String badAttribute() {
        return badAttribute;
    }

    public Integer missingType() {
        return reply.missingType();
    }
}
