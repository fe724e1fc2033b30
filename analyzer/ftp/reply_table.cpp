// Which reply codes each command may get. The RFC 959 rows are §5.4 "Command-Reply Sequences"
// in its order (preliminary, then completion, then intermediate replies), with the additions
// the extension RFCs make to the same commands. Two rules apply to every row:
//  * 421 is added where §5.4 omits it (QUIT, SITE, the extensions): §4.2.1 says a server that
//    must shut down may give 421 "as a reply to any command".
//  * 6yz protected replies of RFC 2228 §4 are not listed: reply_code_of() takes only 1yz-5yz.
#include "ftp/reply_table.hpp"

#include <algorithm>

namespace ftpsim::ftp {
namespace {

// ---- RFC 959 §5.4, Login ----
// USER: plus 232 and 336 of RFC 2228 §8 (security-enhanced login).
constexpr int kUser[] = {230, 530, 500, 501, 421, 331, 332, 232, 336};
constexpr int kPass[] = {230, 202, 530, 500, 501, 503, 421, 332};
constexpr int kAcct[] = {230, 202, 530, 500, 501, 503, 421};
constexpr int kCwd[] = {250, 500, 501, 502, 421, 530, 550};
// §5.4 lists 200 for CDUP, but §4.1.1 says "the reply codes shall be identical to the reply
// codes of CWD", and servers (vsftpd, ProFTPD) answer 250: both are allowed.
constexpr int kCdup[] = {200, 250, 500, 501, 502, 421, 530, 550};
constexpr int kSmnt[] = {202, 250, 500, 501, 502, 421, 530, 550};
// ---- Logout ----
constexpr int kRein[] = {120, 220, 421, 500, 502};
constexpr int kQuit[] = {221, 500, 421};
// ---- Transfer parameters ----
constexpr int kPort[] = {200, 500, 501, 421, 530};
constexpr int kPasv[] = {227, 500, 501, 502, 421, 530};
constexpr int kModeTypeStru[] = {200, 500, 501, 504, 421, 530};
// ---- File action commands ----
constexpr int kAllo[] = {200, 202, 500, 501, 504, 421, 530};
constexpr int kRest[] = {500, 501, 502, 421, 530, 350};
// Transfers: 110 restart markers, plus 534/535 of RFC 2228 §8 (data channel protection) and,
// for those a REST STREAM may precede, 554/555 of RFC 3659 §5 (invalid REST parameter,
// type or structure mismatch).
constexpr int kStor[] = {125, 150, 110, 226, 250, 425, 426, 451, 551, 552,
                         532, 450, 452, 553, 500, 501, 421, 530, 534, 535, 554, 555};
constexpr int kStou[] = {125, 150, 110, 226, 250, 425, 426, 451, 551, 552,
                         532, 450, 452, 553, 500, 501, 421, 530, 534, 535};
constexpr int kRetr[] = {125, 150, 110, 226, 250, 425, 426, 451, 450,
                         550, 500, 501, 421, 530, 534, 535, 554, 555};
constexpr int kListNlst[] = {125, 150, 226, 250, 425, 426, 451, 450,
                             500, 501, 502, 421, 530, 534, 535};
constexpr int kAppe[] = {125, 150, 110, 226, 250, 425, 426, 451, 551, 552, 532, 450,
                         550, 452, 553, 500, 501, 502, 421, 530, 534, 535, 554, 555};
constexpr int kRnfr[] = {450, 550, 500, 501, 502, 421, 530, 350};
constexpr int kRnto[] = {250, 532, 553, 500, 501, 502, 503, 421, 530};
constexpr int kDele[] = {250, 450, 550, 500, 501, 502, 421, 530};
constexpr int kRmd[] = {250, 500, 501, 502, 421, 530, 550};
constexpr int kMkd[] = {257, 500, 501, 502, 421, 530, 550};
constexpr int kPwd[] = {257, 500, 501, 502, 421, 550};
constexpr int kAbor[] = {225, 226, 500, 501, 502, 421};
// ---- Informational commands ----
constexpr int kSyst[] = {215, 500, 501, 502, 421};
constexpr int kStat[] = {211, 212, 213, 450, 500, 501, 502, 421, 530};
constexpr int kHelp[] = {211, 214, 500, 501, 502, 421};
// ---- Miscellaneous commands ----
constexpr int kSite[] = {200, 202, 500, 501, 530, 421};
constexpr int kNoop[] = {200, 500, 421};

// ---- RFC 2228 §8 (its command-reply sequences) ----
constexpr int kAuth[] = {234, 334, 502, 504, 534, 431, 500, 501, 421};
constexpr int kAdat[] = {235, 335, 503, 501, 535, 500, 421};
constexpr int kPbsz[] = {200, 503, 500, 501, 421, 530};
constexpr int kProt[] = {200, 504, 536, 503, 534, 431, 500, 501, 421, 530};
// CCC has no row in §8; its §3 text gives 200, 533 (command not integrity protected) and 534
// (refused for policy reasons), to which the syntax errors apply as for every command.
constexpr int kCcc[] = {200, 500, 501, 533, 534, 421};
constexpr int kMicConfEnc[] = {535, 533, 500, 501, 421};

// ---- RFC 2389 ----
constexpr int kFeat[] = {211, 500, 502, 421};            // §3
constexpr int kOpts[] = {200, 451, 500, 501, 502, 421};  // §4

// ---- RFC 2428 ----
constexpr int kEprt[] = {200, 500, 501, 522, 421, 530};  // §2: 522 = family not supported
// §3; plus 200, the reply to "EPSV ALL" (§4, command usage), which locks the session to EPSV.
constexpr int kEpsv[] = {229, 200, 500, 501, 502, 530, 421, 522};

// ---- RFC 3659 ----
// These commands read the file store like their RFC 959 neighbours, so 530 (not logged in)
// applies to them as it does to RETR or LIST; RFC 3659 only lists what it adds.
constexpr int kSize[] = {213, 550, 500, 501, 502, 503, 504, 421, 530};  // §4
constexpr int kMdtm[] = {213, 550, 500, 501, 502, 504, 421, 530};       // §3
constexpr int kMlst[] = {250, 550, 500, 501, 502, 504, 421, 530};       // §7
// §7: MLSD is answered like LIST (data connection replies), 550 for a missing directory.
constexpr int kMlsd[] = {125, 150, 226, 250, 425, 426, 451, 450, 550,
                         500, 501, 502, 504, 421, 530};

struct Row {
    std::string_view verb;
    std::span<const int> codes;
};

// RFC 775's X verbs share the rows of the verbs they became (RFC 959 Appendix II).
// LANG (RFC 2640) and HOST (RFC 7151) are known verbs without a row: no reply is judged.
constexpr Row kTable[] = {
    {"USER", kUser}, {"PASS", kPass}, {"ACCT", kAcct}, {"CWD", kCwd},
    {"XCWD", kCwd},  {"CDUP", kCdup}, {"XCUP", kCdup}, {"SMNT", kSmnt},
    {"REIN", kRein}, {"QUIT", kQuit}, {"PORT", kPort}, {"PASV", kPasv},
    {"MODE", kModeTypeStru}, {"TYPE", kModeTypeStru}, {"STRU", kModeTypeStru},
    {"ALLO", kAllo}, {"REST", kRest}, {"STOR", kStor}, {"STOU", kStou},
    {"RETR", kRetr}, {"LIST", kListNlst}, {"NLST", kListNlst}, {"APPE", kAppe},
    {"RNFR", kRnfr}, {"RNTO", kRnto}, {"DELE", kDele}, {"RMD", kRmd},
    {"XRMD", kRmd},  {"MKD", kMkd},   {"XMKD", kMkd},  {"PWD", kPwd},
    {"XPWD", kPwd},  {"ABOR", kAbor}, {"SYST", kSyst}, {"STAT", kStat},
    {"HELP", kHelp}, {"SITE", kSite}, {"NOOP", kNoop},
    {"AUTH", kAuth}, {"ADAT", kAdat}, {"PBSZ", kPbsz}, {"PROT", kProt},
    {"CCC", kCcc},   {"MIC", kMicConfEnc}, {"CONF", kMicConfEnc}, {"ENC", kMicConfEnc},
    {"FEAT", kFeat}, {"OPTS", kOpts}, {"EPRT", kEprt}, {"EPSV", kEpsv},
    {"SIZE", kSize}, {"MDTM", kMdtm}, {"MLST", kMlst}, {"MLSD", kMlsd},
};

}  // namespace

std::span<const int> allowed_replies(std::string_view upper_verb) {
    for (const Row& row : kTable) {
        if (row.verb == upper_verb) return row.codes;
    }
    return {};
}

bool reply_allowed(std::string_view upper_verb, int code) {
    const auto codes = allowed_replies(upper_verb);
    return std::find(codes.begin(), codes.end(), code) != codes.end();
}

}  // namespace ftpsim::ftp
