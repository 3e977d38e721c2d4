# language: zh-CN
功能: 永久居留推荐信：示范区执委会推荐外籍人才直接申请在华永久居留
  Recommendation letters: the zone's executive committee recommends a foreign talent for
  direct application for permanent residence, covering her spouse and minor child; the
  family's data reach partners only.

  场景: 示范区执委会出具推荐信，列明随行配偶和未成年子女
    当 示范区执委会为 "Sophie Martin" 出具永久居留推荐信，随行配偶和一名生于 "2015-04-20" 的子女
    那么 响应状态码为 201
    而且 凭证类型为 "RecommendationLetterCredential"，签发机构为示范区执委会
    而且 凭证中随行家属的护照号码都只以遮蔽形式出现
    而且 二维码内容不超过 395 字节，放得进纠错等级 M 的第 15 版二维码

  场景: 所列子女在推荐信日期已满十八周岁，申请被拒绝
    当 示范区执委会为 "Sophie Martin" 出具永久居留推荐信，随行配偶和一名生于 "2007-05-01" 的子女
    那么 响应状态码为 422
    而且 错误代码为 "RECOMMENDATION_CHILD_NOT_MINOR"，指向 "/credential/credentialSubject/recommendationLetter/dependants/1/birthDate"

  场景: 用人单位扫码，只看到推荐信本身
    假如 示范区执委会已为 Sophie Martin 出具推荐信
    当 用人单位扫描证书二维码
    那么 响应状态码为 200
    而且 核验结果为有效，证书状态为 "active"
    而且 显示的姓名为 "S***** M*****"
    而且 显示的推荐信编号为 "示范区执委推〔2026〕演示1号"，推荐事由为 "直接申请在华永久居留"（"Direct application for permanent residence in China"）
    而且 回答中没有随行家属的任何信息，也没有持证人的全名、国籍、护照和工作单位

  场景: 伙伴系统通过接口核验推荐信，看到随行家属
    假如 示范区执委会已为 Sophie Martin 出具推荐信
    当 青浦区的伙伴系统以事由 "外籍人才永久居留申请受理" 提交证书的二维码链接
    那么 响应状态码为 200
    而且 核验结果为有效，证书状态为 "active"
    而且 伙伴系统看到随行的 "Julien Martin"（"配偶"）和 "Léa Martin"（"未成年子女"），护照号码都已遮蔽
    而且 伙伴系统看到持证人全名 "Sophie Martin"、国籍 "FRA" 和工作单位 "嘉善演示电子科技有限公司"
