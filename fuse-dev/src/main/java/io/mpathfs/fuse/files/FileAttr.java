package io.mpathfs.fuse.files;

/** The attributes of one file of the mount, as stat(2) shows them. */
public record FileAttr(boolean directory, int mode, int uid, int gid, long size, int blockSize, long mtimeSeconds) {
    /** S_IFDIR / S_IFREG with the permission bits, as st_mode carries them. */
    public int fullMode() {
        return (directory ? 0040000 : 0100000) | mode;
    }

    public int links() {
        return directory ? 2 : 1;
    }
}
