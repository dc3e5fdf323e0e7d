#include "mentorlog/report/output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "say.h"

namespace mentorlog::report {

namespace {

std::string Quoted(const std::filesystem::path& p) { return "«" + p.string() + "»"; }

std::filesystem::path FolderOf(const std::filesystem::path& path) {
  std::filesystem::path parent = path.parent_path();
  return parent.empty() ? std::filesystem::path(".") : parent;
}

Status DiskError(const std::filesystem::path& path, int err, std::string_view lang) {
  const std::string why = std::strerror(err);
  if (err == ENOSPC || err == EDQUOT) {
    return Status::IoError(
        Say(lang, "cannot write " + Quoted(path) + ": the disk is full; free some space and try again",
            "не удалось записать " + Quoted(path) + ": диск заполнен; освободите место и повторите"));
  }
  if (err == EACCES || err == EPERM || err == EROFS) {
    return Status::InvalidInput(
        Say(lang, "cannot write " + Quoted(path) + " (" + why + "); choose a folder you can write to with --out",
            "не удалось записать " + Quoted(path) + " (" + why +
                "); укажите в --out папку, в которую у вас есть право записи"));
  }
  return Status::IoError(
      Say(lang, "cannot write " + Quoted(path) + ": " + why, "не удалось записать " + Quoted(path) + ": " + why));
}

// Flushes `path`'s data to the disk.
Status SyncFile(const std::filesystem::path& path, std::string_view lang) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return DiskError(path, errno, lang);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return DiskError(path, err, lang);
  return Status::Ok();
}

// Makes the rename itself durable (best effort: some file systems refuse fsync on a folder).
void SyncFolder(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

}  // namespace

std::filesystem::path TempPathFor(const std::filesystem::path& path) {
  std::filesystem::path temp = path;
  temp += ".tmp";
  return temp;
}

Status CheckOutputPath(const std::filesystem::path& path, std::string_view lang) {
  if (path.empty()) {
    return Status::InvalidInput(
        Say(lang, "no output file: give one with --out", "не указан файл: задайте его в --out"));
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::InvalidInput(Say(lang, Quoted(path) + " is a folder; give --out a file name in it",
                                    Quoted(path) + " — это папка; укажите в --out имя файла в ней"));
  }
  const std::filesystem::path dir = FolderOf(path);
  if (!std::filesystem::exists(dir, ec)) {
    return Status::InvalidInput(Say(lang,
                                    "the folder " + Quoted(dir) + " does not exist; create it or choose another --out",
                                    "папки " + Quoted(dir) + " нет; создайте её или укажите другой путь в --out"));
  }
  if (!std::filesystem::is_directory(dir, ec)) {
    return Status::InvalidInput(Say(lang, Quoted(dir) + " is not a folder; choose another --out",
                                    Quoted(dir) + " — не папка; укажите другой путь в --out"));
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    return Status::InvalidInput(
        Say(lang, "the folder " + Quoted(dir) + " is not writable; choose a folder you can write to with --out",
            "в папку " + Quoted(dir) + " нельзя записывать; укажите в --out папку, в которую у вас есть право записи"));
  }
  return Status::Ok();
}

Status ReplaceAtomically(const std::filesystem::path& path, std::string_view lang,
                         const std::function<Status(const std::filesystem::path& temp_path)>& write) {
  RETURN_IF_ERROR(CheckOutputPath(path, lang));
  const std::filesystem::path temp = TempPathFor(path);
  std::error_code ec;
  Status s = write(temp);
  if (s.ok()) s = SyncFile(temp, lang);
  if (s.ok() && std::rename(temp.c_str(), path.c_str()) != 0) s = DiskError(path, errno, lang);
  if (!s.ok()) {
    std::filesystem::remove(temp, ec);
    return s;
  }
  SyncFolder(FolderOf(path));
  return Status::Ok();
}

Status WriteFileAtomically(const std::filesystem::path& path, std::string_view bytes, std::string_view lang) {
  return ReplaceAtomically(path, lang, [&](const std::filesystem::path& temp) -> Status {
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return DiskError(temp, errno, lang);
    size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        const int err = errno;
        ::close(fd);
        return DiskError(path, err, lang);
      }
      done += static_cast<size_t>(n);
    }
    if (::close(fd) != 0) return DiskError(path, errno, lang);
    return Status::Ok();
  });
}

Status PrepareOutputDir(const std::filesystem::path& dir, std::string_view lang) {
  if (dir.empty()) {
    return Status::InvalidInput(
        Say(lang, "no output folder: give one with --out", "не указана папка: задайте её в --out"));
  }
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_directory(dir, ec)) {
    return Status::InvalidInput(Say(lang, Quoted(dir) + " is a file; CSV reports need a folder for --out",
                                    Quoted(dir) + " — это файл; для CSV укажите в --out папку"));
  }
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return Status::InvalidInput(
        Say(lang, "cannot create the folder " + Quoted(dir) + " (" + ec.message() + "); choose another --out",
            "не удалось создать папку " + Quoted(dir) + " (" + ec.message() + "); укажите другой путь в --out"));
  }
  return Status::Ok();
}

Status WriteCsvFolder(const std::vector<Table>& tables, const std::filesystem::path& dir, std::string_view lang) {
  RETURN_IF_ERROR(PrepareOutputDir(dir, lang));
  for (const auto& table : tables) {
    ASSIGN_OR_RETURN(std::string csv, TableToCsv(table, lang));
    RETURN_IF_ERROR(WriteFileAtomically(dir / (table.name + ".csv"), csv, lang));
  }
  return Status::Ok();
}

}  // namespace mentorlog::report
