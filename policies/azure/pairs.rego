# Azure region pairs: where Azure puts the geo-redundant copy of data written in a region
# (GRS/RA-GRS/GZRS/RA-GZRS storage, "Geo" backup storage, geo-redundant database backups,
# cross-region restore).
#
# Keys are region programmatic names; each value lists the regions that can receive the copy
# (more than one where Microsoft documents one region serving as secondary for several).
# Pairs are not always symmetric: Brazil South copies to South Central US, whose own pair
# is North Central US; West US 3 copies to East US. An empty list marks a region Microsoft
# documents as non-paired, where geo-redundancy either is not offered or goes to a region
# Azure chooses, so a rule cannot tell where the copy lands. A region missing from the table
# is unknown to it; rules treat both cases as undecided, never as a pass.
#
# Sources: Microsoft's list of Azure regions with their paired region status, and the ARM
# `locations` listing (`metadata.pairedRegion`).
package terrane.pack.azure.pairs

import rego.v1

pairs := {
	# Europe
	"westeurope": ["northeurope"],
	"northeurope": ["westeurope"],
	"francecentral": ["francesouth"],
	"francesouth": ["francecentral"],
	"germanywestcentral": ["germanynorth"],
	"germanynorth": ["germanywestcentral"],
	"swedencentral": ["swedensouth"],
	"swedensouth": ["swedencentral"],
	"norwayeast": ["norwaywest"],
	"norwaywest": ["norwayeast"],
	"switzerlandnorth": ["switzerlandwest"],
	"switzerlandwest": ["switzerlandnorth"],
	"uksouth": ["ukwest"],
	"ukwest": ["uksouth"],
	"italynorth": [],
	"polandcentral": [],
	"spaincentral": [],
	"austriaeast": [],
	"belgiumcentral": [],
	# Middle East and Africa
	"israelcentral": [],
	"qatarcentral": [],
	"uaenorth": ["uaecentral"],
	"uaecentral": ["uaenorth"],
	"southafricanorth": ["southafricawest"],
	"southafricawest": ["southafricanorth"],
	# Americas
	"eastus": ["westus"],
	"westus": ["eastus"],
	"eastus2": ["centralus"],
	"centralus": ["eastus2"],
	"northcentralus": ["southcentralus"],
	"southcentralus": ["northcentralus"],
	"westus2": ["westcentralus"],
	"westcentralus": ["westus2"],
	"westus3": ["eastus"],
	"canadacentral": ["canadaeast"],
	"canadaeast": ["canadacentral"],
	"brazilsouth": ["southcentralus"],
	"brazilsoutheast": ["brazilsouth"],
	"mexicocentral": [],
	"chilecentral": [],
	# Asia Pacific
	"eastasia": ["southeastasia"],
	"southeastasia": ["eastasia"],
	"australiaeast": ["australiasoutheast"],
	"australiasoutheast": ["australiaeast"],
	"australiacentral": ["australiacentral2"],
	"australiacentral2": ["australiacentral"],
	"centralindia": ["southindia"],
	"southindia": ["centralindia"],
	"westindia": ["southindia"],
	"jioindiawest": ["jioindiacentral"],
	"jioindiacentral": ["jioindiawest"],
	"japaneast": ["japanwest"],
	"japanwest": ["japaneast"],
	"koreacentral": ["koreasouth"],
	"koreasouth": ["koreacentral"],
	"indonesiacentral": [],
	"malaysiawest": [],
	"newzealandnorth": [],
	# Azure Government
	"usgovvirginia": ["usgovtexas"],
	"usgovarizona": ["usgovtexas"],
	"usgovtexas": ["usgovarizona", "usgovvirginia"],
	"usdodeast": ["usdodcentral"],
	"usdodcentral": ["usdodeast"],
	# Azure operated by 21Vianet
	"chinanorth": ["chinaeast"],
	"chinaeast": ["chinanorth"],
	"chinanorth2": ["chinaeast2"],
	"chinaeast2": ["chinanorth2"],
	"chinanorth3": ["chinaeast3"],
	"chinaeast3": ["chinanorth3"],
}
