-- wrk script: POST one workbook as multipart/form-data (field "file") to the URL given on wrk's command line,
-- authenticated with a personal API key. Used by bench/run.sh for POST /api/v1/submissions/{id}/xlsx.
--
--   UPLOAD_FILE=book.xlsx UPLOAD_API_KEY=vpk_... wrk -t2 -c4 -d20s --latency -s bench/upload.lua http://127.0.0.1:5446/api/v1/submissions/<id>/xlsx
--
-- The body is built once per thread from the file's bytes; every request sends the same body.

local path = os.getenv("UPLOAD_FILE") or error("UPLOAD_FILE is not set")
local key = os.getenv("UPLOAD_API_KEY") or error("UPLOAD_API_KEY is not set")
local name = os.getenv("UPLOAD_FILENAME") or "checklist.xlsx"

local f = assert(io.open(path, "rb"))
local data = f:read("*a")
f:close()

local boundary = "----VendorPortalBench7262"
wrk.method = "POST"
wrk.body = "--" .. boundary .. "\r\n"
  .. 'Content-Disposition: form-data; name="file"; filename="' .. name .. '"\r\n'
  .. "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n"
  .. "\r\n"
  .. data
  .. "\r\n--" .. boundary .. "--\r\n"
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
wrk.headers["X-Api-Key"] = key
-- The portal runs behind a pretend TLS-terminating proxy (see bench/run.sh).
wrk.headers["X-Forwarded-Proto"] = "https"
