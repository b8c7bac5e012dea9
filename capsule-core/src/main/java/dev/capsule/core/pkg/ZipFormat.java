package dev.capsule.core.pkg;

/** Constants of the ZIP format (PKWARE APPNOTE 6.3.10) that the reader and the writer share. */
final class ZipFormat {
    static final int LOCAL_HEADER_SIGNATURE = 0x04034b50;
    static final int CENTRAL_HEADER_SIGNATURE = 0x02014b50;
    static final int END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06054b50;
    static final int LOCAL_HEADER_BYTES = 30;
    static final int CENTRAL_HEADER_BYTES = 46;
    static final int END_OF_CENTRAL_DIRECTORY_BYTES = 22;
    static final int MAX_COMMENT_BYTES = 0xffff;

    static final int METHOD_STORED = 0;
    static final int METHOD_DEFLATED = 8;
    /** WinZip AES: an encrypted entry in disguise. */
    static final int METHOD_AES = 99;

    static final int FLAG_ENCRYPTED = 1;
    static final int FLAG_DATA_DESCRIPTOR = 1 << 3;
    static final int FLAG_STRONG_ENCRYPTION = 1 << 6;
    static final int FLAG_UTF8 = 1 << 11;
    static final int FLAG_CENTRAL_DIRECTORY_ENCRYPTED = 1 << 13;
    /** Bits 1-2 only tune the deflate level; bit 11 marks UTF-8 names. Everything else is refused. */
    static final int FLAGS_ALLOWED = 0b110 | FLAG_UTF8;

    static final int VERSION_NEEDED = 20;
    /** Made by: host 3 (Unix), so external attributes carry a Unix mode; spec version 2.0. */
    static final int VERSION_MADE_BY = (3 << 8) | 20;
    static final int HOST_MSDOS = 0;
    static final int HOST_UNIX = 3;
    static final int UNIX_FILE_TYPE_MASK = 0170000;
    static final int UNIX_REGULAR_FILE = 0100000;
    static final int UNIX_SYMLINK = 0120000;
    static final int REGULAR_FILE_MODE = UNIX_REGULAR_FILE | 0644;
    static final int MSDOS_DIRECTORY_ATTRIBUTE = 0x10;
    /** 1980-01-01 00:00:00, the earliest DOS date: fixed so output is reproducible. */
    static final int DOS_DATE = (0 << 9) | (1 << 5) | 1;
    static final int DOS_TIME = 0;

    private ZipFormat() {}
}
