// What each personality says. The neutral texts are plain RFC 959 wording; vsftpd's are those
// of vsftpd 3.0.3 (prelogin.c, postlogin.c, features.c, and the captured sessions in
// shared/seeds); FileZilla's those of FileZilla Server 0.9.x as captured (0.9.29 and 0.9.60).
// A personality lists only what differs from the neutral table.
#include "sim/engine/server_internal.hpp"

namespace ftpsim::sim::server {
namespace {

struct Entry {
    Msg msg;
    int code;
    const char* text;
};

// Complete, in Msg order (checked below).
constexpr Entry kNeutral[] = {
    {Msg::kGreeting, 220, "ftpsim FTP server ready."},
    {Msg::kGoodbye, 221, "Goodbye."},
    {Msg::kUserOk, 331, "User name okay, need password."},
    {Msg::kUserChange, 530, "Can't change to another user."},
    {Msg::kLoginOk, 230, "User logged in, proceed."},
    {Msg::kLoginBad, 530, "Login incorrect."},
    {Msg::kLoginTooMany, 421, "Too many failed logins, closing control connection."},
    {Msg::kNeedUser, 503, "Login with USER first."},
    {Msg::kAlreadyLoggedIn, 230, "Already logged in."},
    {Msg::kNotLoggedIn, 530, "Please login with USER and PASS."},
    {Msg::kAcct, 202, "ACCT command superfluous at this site."},
    {Msg::kSyst, 215, "UNIX Type: L8"},
    {Msg::kPwd, 257, "\"{}\" is the current directory."},
    {Msg::kCwdOk, 250, "Directory changed to \"{}\"."},
    {Msg::kCwdFail, 550, "\"{}\": no such directory."},
    {Msg::kCdupOk, 250, "Directory changed to \"{}\"."},
    {Msg::kTypeI, 200, "Type set to I."},
    {Msg::kTypeA, 200, "Type set to A."},
    {Msg::kTypeBad, 504, "Type not supported."},
    {Msg::kModeOk, 200, "Mode set to S."},
    {Msg::kModeBad, 504, "Only MODE S is supported."},
    {Msg::kStruOk, 200, "Structure set to F."},
    {Msg::kStruBad, 504, "Only STRU F is supported."},
    {Msg::kPortOk, 200, "PORT command successful."},
    {Msg::kPortSyntax, 501, "Syntax error in PORT argument."},
    {Msg::kPortRefused, 500, "Illegal PORT command."},
    {Msg::kEprtOk, 200, "EPRT command successful."},
    {Msg::kEprtSyntax, 501, "Syntax error in EPRT argument."},
    {Msg::kEprtProto, 522, "Network protocol not supported, use (1,2)"},
    {Msg::kEprtRefused, 500, "Illegal EPRT command."},
    {Msg::kPasvOk, 227, "Entering Passive Mode ({})."},
    {Msg::kEpsvOk, 229, "Entering Extended Passive Mode (|||{}|)"},
    {Msg::kEpsvAllOk, 200, "EPSV ALL ok."},
    {Msg::kEpsvProto, 522, "Network protocol not supported, use ({})"},
    {Msg::kEpsvAllRefused, 500, "{} not allowed after EPSV ALL."},
    {Msg::kPasvFail, 425, "Can't open passive connection."},
    {Msg::kPasvIpv6, 500, "PASV cannot name an IPv6 address; use EPSV (RFC 2428)."},
    {Msg::kNoDataSetup, 425, "Use PORT or PASV first."},
    {Msg::kDataConnFail, 425, "Can't open data connection."},
    {Msg::kListStart, 150, "Opening ASCII mode data connection for file list."},
    {Msg::kListDone, 226, "Transfer complete."},
    {Msg::kListFail, 550, "No such file or directory."},
    {Msg::kListNoDir, 226, "Transfer done (but failed to open directory)."},
    {Msg::kMlsdStart, 150, "Opening ASCII mode data connection for MLSD."},
    {Msg::kMlsdFail, 550, "Not a directory."},
    {Msg::kRetrStart, 150, "Opening {} mode data connection for {} ({} bytes)."},
    {Msg::kStorStart, 150, "Ok to send data."},
    // RFC 1123 §4.1.2.9: STOU's preliminary reply names the file, "150 FILE: pppp".
    {Msg::kStouStart, 150, "FILE: {}"},
    {Msg::kTransferDone, 226, "Transfer complete."},
    {Msg::kSendFail, 426, "Connection closed; transfer aborted."},
    {Msg::kRecvFail, 426, "Connection closed; transfer aborted."},
    {Msg::kLocalReadFail, 451, "Requested action aborted: local error in processing."},
    {Msg::kLocalWriteFail, 451, "Requested action aborted: local error in processing."},
    // RFC 959 §4.2: 452 when the system's storage is full (ENOSPC), 552 when the user's
    // allocation is (EDQUOT).
    {Msg::kStorageFull, 452, "Requested action not taken. Insufficient storage space in system."},
    {Msg::kQuotaExceeded, 552, "Requested file action aborted. Exceeded storage allocation."},
    {Msg::kUploadFail, 553, "Could not create file."},
    {Msg::kRetrFail, 550, "Failed to open file."},
    {Msg::kAsciiRest, 550, "No support for resume of ASCII transfer."},
    {Msg::kDataReset, 426, "Connection closed; transfer aborted."},
    {Msg::kAborNone, 225, "No transfer to abort."},
    {Msg::kAborOk, 226, "Abort successful."},
    {Msg::kRestOk, 350, "Restarting at {}. Send STORE or RETRIEVE to initiate transfer."},
    {Msg::kRestBad, 501, "REST requires a non-negative byte offset."},
    {Msg::kSizeOk, 213, "{}"},
    {Msg::kSizeFail, 550, "Could not get file size."},
    {Msg::kMdtmOk, 213, "{}"},
    {Msg::kMdtmFail, 550, "Could not get file modification time."},
    {Msg::kDeleOk, 250, "Delete operation successful."},
    {Msg::kDeleFail, 550, "Delete operation failed."},
    {Msg::kMkdOk, 257, "\"{}\" created"},
    {Msg::kMkdFail, 550, "Create directory operation failed."},
    {Msg::kRmdOk, 250, "Remove directory operation successful."},
    {Msg::kRmdFail, 550, "Remove directory operation failed."},
    {Msg::kRnfrOk, 350, "Ready for RNTO."},
    {Msg::kRnfrFail, 550, "RNFR command failed."},
    {Msg::kRntoOk, 250, "Rename successful."},
    {Msg::kRntoFail, 553, "Rename failed."},
    {Msg::kRntoNeedRnfr, 503, "RNFR required first."},
    {Msg::kNoop, 200, "NOOP ok."},
    {Msg::kHelp, 214,
     "The following commands are recognized.\n"
     " ABOR ACCT ALLO APPE CDUP CWD  DELE EPRT EPSV FEAT HELP LIST MDTM MKD\n"
     " MLSD MLST MODE NLST NOOP OPTS PASS PASV PORT PWD  QUIT REST RETR RMD\n"
     " RNFR RNTO SITE SIZE STAT STOR STOU STRU SYST TYPE USER XCUP XCWD XMKD\n"
     " XPWD XRMD\n"
     "Help OK."},
    {Msg::kFeat, 211,
     "Extensions supported:\n EPRT\n EPSV\n MDTM\n MLST {}\n PASV\n REST STREAM\n SIZE\n TVFS\n"
     " UTF8\nEnd"},
    {Msg::kOptsUtf8, 200, "Always in UTF8 mode."},
    {Msg::kOptsMlst, 200, "MLST OPTS {}"},
    {Msg::kOptsBad, 501, "Option not understood."},
    {Msg::kAllo, 202, "ALLO command ignored."},
    {Msg::kSiteHelp, 202, "SITE command not implemented."},
    {Msg::kSiteUnknown, 202, "SITE command not implemented."},
    {Msg::kStat, 211,
     "FTP server status:\n     Connected to {}\n     Logged in as {}\n     TYPE: {}\n"
     "     Session timeout in seconds is {}\n     Control connection is plain text\n"
     "     Data connections will be plain text\nEnd of status"},
    {Msg::kStatFile, 213, "Status follows:\n{}End of status"},
    {Msg::kXferStatus, 213, "Status: {} {}, {} bytes transferred."},
    // RFC 3659 §7.2: the entry line of an MLST reply starts with a space.
    {Msg::kMlstOk, 250, "Listing {}\n {}\nEnd"},
    {Msg::kMlstFail, 550, "No such file or directory."},
    {Msg::kUnknown, 500, "Unknown command."},
    {Msg::kNotImpl, 502, "{} not implemented."},
    {Msg::kSyntax, 501, "Syntax error in parameters or arguments."},
    {Msg::kTimeout, 421, "Timeout."},
    {Msg::kTooManyUsers, 421, "Too many users, please try later."},
    {Msg::kTooManyPerIp, 421, "Too many connections from your address."},
    {Msg::kLineTooLong, 500, "Input line too long."},
    {Msg::kTooManyQueued, 421, "Too many commands queued, closing control connection."},
};

constexpr bool complete_and_ordered() {
    if (std::size(kNeutral) != static_cast<std::size_t>(Msg::kCount)) return false;
    for (std::size_t i = 0; i < std::size(kNeutral); ++i) {
        if (static_cast<std::size_t>(kNeutral[i].msg) != i) return false;
    }
    return true;
}
static_assert(complete_and_ordered(), "kNeutral must list every Msg in enum order");

constexpr Entry kVsftpd[] = {
    {Msg::kGreeting, 220, "(vsFTPd 3.0.3)"},
    {Msg::kUserOk, 331, "Please specify the password."},
    {Msg::kLoginOk, 230, "Login successful."},
    {Msg::kAcct, 502, "ACCT not implemented."},
    {Msg::kPwd, 257, "\"{}\" is the current directory"},
    {Msg::kCwdOk, 250, "Directory successfully changed."},
    {Msg::kCwdFail, 550, "Failed to change directory."},
    {Msg::kCdupOk, 250, "Directory successfully changed."},
    {Msg::kTypeI, 200, "Switching to Binary mode."},
    {Msg::kTypeA, 200, "Switching to ASCII mode."},
    {Msg::kTypeBad, 500, "Unrecognised TYPE command."},
    {Msg::kModeBad, 504, "Bad MODE command."},
    {Msg::kStruBad, 504, "Bad STRU command."},
    {Msg::kPortOk, 200, "PORT command successful. Consider using PASV."},
    {Msg::kPortSyntax, 500, "Illegal PORT command."},
    {Msg::kEprtOk, 200, "EPRT command successful. Consider using EPSV."},
    {Msg::kEprtSyntax, 500, "Bad EPRT command."},
    {Msg::kEprtProto, 500, "Bad EPRT protocol."},
    {Msg::kEpsvProto, 522, "Bad network protocol."},
    // vsftpd lets PASV and PORT after EPSV ALL fall through to its "Permission denied." list.
    {Msg::kEpsvAllRefused, 550, "Permission denied."},
    {Msg::kPasvFail, 425, "Failed to enter passive mode."},
    {Msg::kDataConnFail, 425, "Failed to establish connection."},
    {Msg::kListStart, 150, "Here comes the directory listing."},
    {Msg::kListDone, 226, "Directory send OK."},
    {Msg::kSendFail, 426, "Failure writing network stream."},
    {Msg::kRecvFail, 426, "Failure reading network stream."},
    // vsftpd has one text for a download whose data connection fails, whatever broke it.
    {Msg::kDataReset, 426, "Failure writing network stream."},
    {Msg::kLocalReadFail, 451, "Failure reading local file."},
    {Msg::kLocalWriteFail, 451, "Failure writing to local file."},
    // vsftpd 3.0.3 (postlogin.c handle_upload_common) has one reply for every failed write,
    // a full disk included.
    {Msg::kStorageFull, 451, "Failure writing to local file."},
    {Msg::kQuotaExceeded, 451, "Failure writing to local file."},
    {Msg::kAborNone, 225, "No transfer to ABOR."},
    {Msg::kAborOk, 226, "ABOR successful."},
    {Msg::kRestOk, 350, "Restart position accepted ({})."},
    {Msg::kRntoFail, 550, "Rename failed."},
    {Msg::kHelp, 214,
     "The following commands are recognized.\n"
     " ABOR ACCT ALLO APPE CDUP CWD  DELE EPRT EPSV FEAT HELP LIST MDTM MKD\n"
     " MODE NLST NOOP OPTS PASS PASV PORT PWD  QUIT REIN REST RETR RMD  RNFR\n"
     " RNTO SITE SIZE SMNT STAT STOR STOU STRU SYST TYPE USER XCUP XCWD XMKD\n"
     " XPWD XRMD\n"
     "Help OK."},
    {Msg::kFeat, 211,
     "Features:\n EPRT\n EPSV\n MDTM\n PASV\n REST STREAM\n SIZE\n TVFS\n UTF8\nEnd"},
    {Msg::kSiteHelp, 214, "CHMOD UMASK HELP"},
    {Msg::kSiteUnknown, 500, "Unknown SITE command."},
    {Msg::kStat, 211,
     "FTP server status:\n     Connected to {}\n     Logged in as {}\n     TYPE: {}\n"
     "     No session bandwidth limit\n     Session timeout in seconds is {}\n"
     "     Control connection is plain text\n     Data connections will be plain text\n"
     "     vsFTPd 3.0.3 - secure, fast, stable\nEnd of status"},
    {Msg::kTooManyUsers, 421, "There are too many connected users, please try later."},
    {Msg::kTooManyPerIp, 421, "There are too many connections from your internet address."},
};

constexpr Entry kFileZilla[] = {
    {Msg::kGreeting, 220,
     "FileZilla Server 0.9.60 beta\n"
     "220-written by Tim Kosse (tim.kosse@filezilla-project.org)\n"
     "Please visit https://filezilla-project.org/"},
    {Msg::kGoodbye, 221, "Goodbye"},
    {Msg::kUserOk, 331, "Password required for {}"},
    {Msg::kLoginOk, 230, "Logged on"},
    {Msg::kLoginBad, 530, "Login or password incorrect!"},
    {Msg::kNeedUser, 503, "Bad sequence of commands."},
    {Msg::kNotLoggedIn, 530, "Please log in with USER and PASS first."},
    {Msg::kSyst, 215, "UNIX emulated by FileZilla"},
    {Msg::kPwd, 257, "\"{}\" is current directory."},
    {Msg::kCwdOk, 250, "CWD successful. \"{}\" is current directory."},
    {Msg::kCwdFail, 550, "CWD failed. \"{}\": directory not found."},
    {Msg::kCdupOk, 200, "CDUP successful. \"{}\" is current directory."},
    {Msg::kTypeI, 200, "Type set to I"},
    {Msg::kTypeA, 200, "Type set to A"},
    {Msg::kTypeBad, 501, "Unsupported type. Supported types are I, A and L 8"},
    {Msg::kPortOk, 200, "Port command successful"},
    {Msg::kPortSyntax, 501, "Syntax error"},
    {Msg::kPortRefused, 421,
     "Rejected command, requested IP address does not match control connection IP."},
    {Msg::kEprtOk, 200, "Port command successful"},
    {Msg::kEprtSyntax, 501, "Syntax error"},
    {Msg::kEprtProto, 522, "Extended Port Failure - unknown network protocol"},
    {Msg::kEprtRefused, 421,
     "Rejected command, requested IP address does not match control connection IP."},
    {Msg::kPasvOk, 227, "Entering Passive Mode ({})"},
    {Msg::kPasvFail, 421, "Could not create socket."},
    {Msg::kNoDataSetup, 425, "Can't open data connection."},
    {Msg::kListStart, 150, "Opening data channel for directory list."},
    {Msg::kListDone, 226, "Transfer OK"},
    {Msg::kListFail, 550, "Directory not found."},
    {Msg::kMlsdStart, 150, "Opening data channel for directory list."},
    {Msg::kMlsdFail, 550, "Directory not found."},
    {Msg::kRetrStart, 150, "Opening data channel for file transfer."},
    {Msg::kStorStart, 150, "Opening data channel for file transfer."},
    {Msg::kTransferDone, 226, "Transfer OK"},
    {Msg::kUploadFail, 553, "can't access file."},
    {Msg::kRetrFail, 550, "File not found"},
    {Msg::kAborNone, 226, "ABOR command successful"},
    {Msg::kAborOk, 226, "ABOR command successful"},
    {Msg::kRestOk, 350, "Rest supported. Restarting at {}"},
    {Msg::kRestBad, 501, "Bad parameter. Numeric value required"},
    {Msg::kSizeFail, 550, "File not found"},
    {Msg::kMdtmFail, 550, "File not found"},
    {Msg::kDeleOk, 250, "File deleted successfully"},
    {Msg::kDeleFail, 550, "File not found"},
    {Msg::kMkdOk, 257, "\"{}\" created successfully"},
    {Msg::kMkdFail, 550, "Directory already exists"},
    {Msg::kRmdOk, 250, "Directory deleted successfully"},
    {Msg::kRmdFail, 550, "Directory not found"},
    {Msg::kRnfrOk, 350, "File exists, ready for destination name."},
    {Msg::kRnfrFail, 550, "file/directory not found"},
    {Msg::kRntoOk, 250, "file renamed successfully"},
    {Msg::kRntoNeedRnfr, 503, "Bad sequence of commands!"},
    {Msg::kNoop, 200, "OK"},
    {Msg::kHelp, 214,
     "The following commands are recognized:\n"
     "   USER   PASS   QUIT   CWD    PWD    PORT   PASV   TYPE\n"
     "   LIST   REST   CDUP   RETR   STOR   SIZE   DELE   RMD\n"
     "   MKD    RNFR   RNTO   ABOR   SYST   NOOP   APPE   NLST\n"
     "   MDTM   XPWD   XCUP   XMKD   XRMD   EPSV   EPRT   FEAT\n"
     "   MODE   OPTS   HELP   ALLO   MLST   MLSD   SITE   STRU\n"
     "Have a nice day."},
    {Msg::kFeat, 211,
     "Features:\n MDTM\n REST STREAM\n SIZE\n MLST {}\n MLSD\n UTF8\n EPSV\n EPRT\nEnd"},
    {Msg::kOptsUtf8, 200, "UTF8 mode enabled"},
    {Msg::kOptsBad, 501, "Option not understood"},
    {Msg::kAllo, 202, "No storage allocation neccessary."},
    {Msg::kUnknown, 500, "Syntax error, command unrecognized."},
    {Msg::kNotImpl, 502, "Command not implemented."},
    {Msg::kSyntax, 501, "Syntax error"},
    {Msg::kTimeout, 421, "Connection timed out."},
    {Msg::kTooManyUsers, 421, "Too many users are connected, please try again later."},
    {Msg::kTooManyPerIp, 421, "Refusing connection. Reason: Max. connection count per IP reached."},
};

template <std::size_t N>
const Entry* find(const Entry (&table)[N], Msg msg) {
    for (const Entry& e : table) {
        if (e.msg == msg) return &e;
    }
    return nullptr;
}

}  // namespace

Text text_for(Personality personality, Msg msg) {
    const Entry* e = nullptr;
    if (personality == Personality::kVsftpd) e = find(kVsftpd, msg);
    if (personality == Personality::kFileZilla) e = find(kFileZilla, msg);
    if (e == nullptr) e = &kNeutral[static_cast<std::size_t>(msg)];
    return Text{e->code, e->text};
}

}  // namespace ftpsim::sim::server
