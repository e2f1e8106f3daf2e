package dev.neper.fleet.runner.devmem;

/**
 * The fragments of one devmem recvmsg, in stream order, as parallel arrays (no allocation per
 * receive). A LINEAR fragment's offset is where its bytes sit in the iovec buffer; a DMABUF
 * fragment's offset is where they sit in the dmabuf, and it has a token to give back.
 */
public final class Fragments {
    public static final byte LINEAR = 0;
    public static final byte DMABUF = 1;

    final byte[] kind;
    final long[] offset;
    final int[] size;
    final int[] token;
    int count;

    public Fragments(int capacity) {
        kind = new byte[capacity];
        offset = new long[capacity];
        size = new int[capacity];
        token = new int[capacity];
    }

    void clear() {
        count = 0;
    }

    boolean add(byte k, long off, int length, int tok) {
        if (count == kind.length) {
            return false;
        }
        kind[count] = k;
        offset[count] = off;
        size[count] = length;
        token[count] = tok;
        count++;
        return true;
    }

    public int count() {
        return count;
    }

    public byte kind(int i) {
        return kind[i];
    }

    public long offset(int i) {
        return offset[i];
    }

    public int size(int i) {
        return size[i];
    }

    public int token(int i) {
        return token[i];
    }
}
