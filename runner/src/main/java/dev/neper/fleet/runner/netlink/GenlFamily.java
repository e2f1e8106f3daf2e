package dev.neper.fleet.runner.netlink;

import java.util.Map;

/** A generic netlink family as nlctrl describes it: its dynamic id, version and operations (id to op flags). */
public record GenlFamily(String name, int id, int version, Map<Integer, Integer> operations) {
    public static final int GENL_ADMIN_PERM = 0x01;
    public static final int GENL_CMD_CAP_DO = 0x02;
    public static final int GENL_CMD_CAP_DUMP = 0x04;

    public GenlFamily {
        operations = Map.copyOf(operations);
    }

    public boolean supports(int command) {
        return operations.containsKey(command);
    }
}
