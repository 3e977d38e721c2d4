# language: zh-CN
功能: 评审批次：用表格一次签发整批职称证书
  Review sessions: a bureau fills the sheet whose header `registry batch template` gives with a
  whole review session and issues it with `registry batch issue`. Each row stands alone: a bad
  row is refused and named in the results file with its column and reason, the other rows are
  issued and scan valid. Run again with the same session key once the row is fixed, only that
  row is issued and the others are answered with their first records: nothing is issued twice.

  青浦区人社局把 2026 年第一批工程师的评审结果填进 registry batch template 给出的表格，用命令行
  一次签发。一名工程师的身份证号码校验码写错，只有这一行被拒绝，结果文件写明列名与原因；用人
  单位扫描已签发证书的二维码，核验有效。改正这一行后用同一批次键再运行一次，只签发这一行，
  其余各行沿用第一次签发的证书，没有重复签发。

  背景:
    假如 青浦区人社局用 registry batch template 取得职称证书表格的表头
    而且 青浦区人社局按表头填好 4 名工程师的评审结果，其中第 4 行的身份证号码校验码写错

  场景: 有错行的批次：错行被拒绝并写明列名与原因，其余各行照常签发
    当 青浦区人社局以批次键 "2026-qp-engineers-1" 运行 registry batch issue 签发这张表格
    那么 命令退出码为 3
    而且 命令报告新签发 3 份，此前已签发 0 份，拒绝 1 份
    而且 结果文件逐行列出
      | row | outcome  | column   | error_code        |
      | 2   | issued   |          |                   |
      | 3   | issued   |          |                   |
      | 4   | refused  | idNumber | ID_NUMBER_INVALID |
      | 5   | issued   |          |                   |
    而且 结果文件中被拒绝的第 4 行附有中英文说明，没有记录编号与核验链接
    而且 命令的错误输出指出第 4 行 "idNumber" 列的 "ID_NUMBER_INVALID"
    而且 结果文件中没有任何身份证号码
    而且 这次运行后透明日志新增的签发记录正是第 2、3、5 行的证书
    当 用人单位扫描结果文件第 3 行证书的二维码
    那么 响应状态码为 200
    而且 核验结果为有效，证书状态为 "active"
    而且 核验的正是结果文件第 3 行的证书

  场景: 改正错行后用同一批次键再运行一次，只签发改正的一行，没有重复签发
    假如 青浦区人社局已以批次键 "2026-qp-engineers-1" 运行 registry batch issue 签发这张表格
    当 青浦区人社局改正第 4 行的身份证号码
    而且 青浦区人社局以批次键 "2026-qp-engineers-1" 运行 registry batch issue 签发这张表格
    那么 命令退出码为 0
    而且 命令报告新签发 1 份，此前已签发 3 份，拒绝 0 份
    而且 结果文件逐行列出
      | row | outcome  | column | error_code |
      | 2   | replayed |        |            |
      | 3   | replayed |        |            |
      | 4   | issued   |        |            |
      | 5   | replayed |        |            |
    而且 第 2、3、5 行的记录编号与核验链接与第一次运行时相同
    而且 这次运行后透明日志新增的签发记录正是第 4 行的证书
    而且 青浦区人社局通过接口查到结果文件中的 4 份证书各不相同，状态均为 "active"

  场景: 表头写错的表格整体被拒绝，一行也不签发
    当 青浦区人社局把表头 "idNumber" 误写成 "身份证号"
    而且 青浦区人社局以批次键 "2026-qp-engineers-2" 运行 registry batch issue 签发这张表格
    那么 命令退出码为 2
    而且 命令的错误输出含 "SHEET_COLUMNS_INVALID"
    而且 没有写出结果文件
    而且 这次运行后透明日志没有新增签发记录
